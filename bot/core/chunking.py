"""Pack a note's blocks into passages sized in characters, cut at natural boundaries.

Order of preference: headings and paper boundaries, then blocks (paragraphs, tables, code),
then lines, then sentence ends (。！？.!?). Table rows and code lines are never cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.papers import PaperSpan
from bot.core.roles import heading_role
from bot.core.structure import Block
from bot.core.text import SENTENCE

_MIN_CHARS = 10  # a content heading's, spaces aside
# A sentence: a Japanese sentence end, or Japanese prose ("…を提案し、…を達成"); not a label,
# a list of names or tags, nor a date ("1998/??/??").
_SENTENCE_END = re.compile(r"[。．]$")
_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
_PROSE_CJK = 15


@dataclass(frozen=True, slots=True)
class Piece:
    """Raw text of lines ``start``..``end`` (0-based, end exclusive)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Section:
    """Consecutive blocks sharing one heading path and paper."""

    heading: tuple[str, ...]
    span: PaperSpan | None
    pieces: tuple[Piece, ...]


def pieces_of(block: Block, lines: list[str], max_chars: int) -> list[Piece]:
    """One piece per block when it fits; otherwise lines (table rows keep their header)."""
    text = "\n".join(lines[block.start : block.end]).strip()
    if len(text) <= max_chars:
        return [Piece(text, block.start, block.end)] if text else []
    if block.kind == "table":
        return _table_pieces(block, lines)
    result: list[Piece] = []
    for n in range(block.start, block.end):
        line = lines[n].rstrip()
        if not line.strip():
            continue
        if len(line) <= max_chars or block.kind == "code":
            result.append(Piece(line, n, n + 1))
        else:
            result.extend(Piece(part, n, n + 1) for part in split_sentences(line, max_chars))
    return result


def _table_pieces(block: Block, lines: list[str]) -> list[Piece]:
    header = "\n".join(lines[block.start : min(block.start + 2, block.end)])
    return [
        Piece(f"{header}\n{lines[n]}", n, n + 1)
        for n in range(block.start + 2, block.end)
        if lines[n].strip()
    ]


def split_sentences(text: str, max_chars: int) -> list[str]:
    """Sentences of ``text`` packed up to ``max_chars``; a longer sentence is cut hard."""
    parts: list[str] = []
    current = ""
    for sentence in (s for s in SENTENCE.findall(text) if s.strip()):
        while len(sentence) > max_chars:
            parts.extend([current] if current else [])
            current = ""
            parts.append(sentence[:max_chars])
            sentence = sentence[max_chars:]
        if current and len(current) + len(sentence) > max_chars:
            parts.append(current)
            current = ""
        current += sentence
    if current.strip():
        parts.append(current)
    return [part.strip() for part in parts if part.strip()]


def pack(pieces: tuple[Piece, ...], *, max_chars: int, min_chars: int) -> list[Piece]:
    """Greedy packing into passages ≤ max_chars; a small tail joins its neighbour if it fits."""
    packed: list[Piece] = []
    for piece in pieces:
        if packed and len(packed[-1].text) + 1 + len(piece.text) <= max_chars:
            last = packed[-1]
            packed[-1] = Piece(f"{last.text}\n{piece.text}", last.start, piece.end)
        else:
            packed.append(piece)
    if (
        len(packed) > 1
        and len(packed[-1].text) < min_chars
        and len(packed[-2].text) + 1 + len(packed[-1].text) <= max_chars
    ):
        tail, last = packed.pop(), packed.pop()
        packed.append(Piece(f"{last.text}\n{tail.text}", last.start, tail.end))
    return packed


def sections_of(
    blocks: list[Block],
    paths: list[tuple[str, ...]],
    spans: list[PaperSpan],
    lines: list[str],
    max_chars: int,
) -> list[Section]:
    """Group block pieces by (heading path, innermost paper span); paper tables go row by row."""
    sections: list[Section] = []
    for i, (block, path) in enumerate(zip(blocks, paths, strict=True)):
        if block.kind == "heading":
            if is_content_heading(block, blocks[i + 1] if i + 1 < len(blocks) else None):
                parent = path[:-1] if path and path[-1] == block.title else path
                piece = Piece(block.title, block.start, block.end)
                _append(sections, parent, _innermost(spans, block.start), piece, separate=False)
            continue
        row_spans = {s.start: s for s in spans if s.end - s.start == 1}
        if block.kind == "table" and any(block.start <= n < block.end for n in row_spans):
            for piece in _table_pieces(block, lines):
                _append(sections, path, row_spans.get(piece.start), piece, separate=True)
            continue
        span = _innermost(spans, block.start)
        for piece in pieces_of(block, lines, max_chars):
            _append(sections, path, span, piece, separate=False)
    return sections


def is_content_heading(block: Block, following: Block | None) -> bool:
    """A heading with nothing under it that says something ("##### 本提案は、JHMDB-21で18%
    改善した。"): some write their notes in headings. Its words are indexed as text, or they
    would be lost. Not an empty section's name ("## 議論はある?"), a label or a name list."""
    leaf = following is None or (following.kind == "heading" and following.level <= block.level)
    title = block.title.strip()
    # A template's empty section ("技術や手法のキモはどこ? or 提案手法の詳細") is long too.
    sentence = bool(_SENTENCE_END.search(title))
    prose = sentence or (len(_CJK.findall(title)) >= _PROSE_CJK and heading_role(title) is None)
    return leaf and block.level >= 3 and prose and len("".join(title.split())) >= _MIN_CHARS


def _innermost(spans: list[PaperSpan], line: int) -> PaperSpan | None:
    best = None
    for span in spans:
        if span.start <= line < span.end and (best is None or span.start >= best.start):
            best = span
    return best


def _append(
    sections: list[Section],
    path: tuple[str, ...],
    span: PaperSpan | None,
    piece: Piece,
    *,
    separate: bool,
) -> None:
    last = sections[-1] if sections else None
    if not separate and last is not None and last.heading == path and last.span == span:
        sections[-1] = Section(path, span, (*last.pieces, piece))
    else:
        sections.append(Section(path, span, (piece,)))
