"""One note in, its passages and paper mentions out: the pure heart of the ingest job."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from bot.core.chunking import pack, sections_of
from bot.core.frontmatter import read_header
from bot.core.metalines import find_meta
from bot.core.models import Chunk, PaperMention
from bot.core.note_parts import NoteParts
from bot.core.papers import PaperSpan, extract_papers
from bot.core.structure import heading_paths, make_parser, parse_blocks, split_blocks_at


@dataclass(frozen=True, slots=True)
class ChunkingOptions:
    max_chars: int = 700
    min_chars: int = 120

    def fingerprint(self) -> str:
        return f"notes-v4:{self.max_chars}:{self.min_chars}"  # v4: content headings indexed


@dataclass(slots=True)
class ParsedNote:
    source: str
    chunks: list[Chunk]
    mentions: list[PaperMention]
    warnings: list[str] = field(default_factory=list)  # read anyway, e.g. bad front matter


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def parse_note(
    source: str, text: str, *, options: ChunkingOptions, content_hash: str
) -> ParsedNote:
    """Split ``text`` (the note at relative path ``source``) into cited-ready chunks and papers.

    The note's own metadata (front matter, title block, link and property lines) becomes
    fields of the note and its papers; its lines are blanked, so they are never indexed or
    quoted while every other line keeps its number. ``content_hash`` (of the file's bytes)
    goes into chunk ids, so a re-run after a crash writes the same ids instead of duplicates.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    parser = make_parser()
    header = read_header(lines)
    lines = _blank(lines, header.lines)
    meta = find_meta(lines, parse_blocks("\n".join(lines), parser=parser))
    lines = _blank(lines, meta.lines)
    blocks = parse_blocks("\n".join(lines), parser=parser)
    parts = NoteParts(source, lines, blocks, header, meta)
    found = extract_papers(parts, _titled(heading_paths(blocks), parts, []))
    cut_lines = {span.start for span in found.spans} | {span.end for span in found.spans}
    blocks = split_blocks_at(blocks, cut_lines)
    paths = _titled(heading_paths(blocks), parts, found.spans)
    chunks: list[Chunk] = []
    prefix = f"{hashlib.blake2b(source.encode(), digest_size=6).hexdigest()}-{content_hash[:12]}"
    for section in sections_of(blocks, paths, found.spans, lines, options.max_chars):
        heading = " > ".join(section.heading)
        for piece in pack(section.pieces, max_chars=options.max_chars, min_chars=options.min_chars):
            chunks.append(
                Chunk(
                    id=f"{prefix}-{len(chunks):05d}",
                    source=source,
                    heading=heading,
                    line_start=piece.start + 1,
                    line_end=piece.end,
                    body=piece.text,
                    paper=section.span.title if section.span else None,
                    url=section.span.url if section.span else None,
                )
            )
    warnings = [header.warning] if header.warning else []
    return ParsedNote(source, chunks, found.mentions, warnings)


def _blank(lines: list[str], numbers: set[int]) -> list[str]:
    return [("" if n in numbers else line) for n, line in enumerate(lines)] if numbers else lines


def _titled(
    paths: list[tuple[str, ...]], parts: NoteParts, spans: list[PaperSpan]
) -> list[tuple[str, ...]]:
    """Heading paths under the note's title when no heading of the note gives it (front
    matter, title block, or the paper a one-paper note is): the title reaches search."""
    if parts.title_index is not None:
        return paths
    title = parts.header.title
    if len(spans) == 1 and (spans[0].start, spans[0].end) == (0, len(parts.lines)):
        title = spans[0].title  # the one paper the note is about
    return [(title, *path) for path in paths] if title else paths
