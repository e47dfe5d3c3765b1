"""What a note says its paper is: the summary and the ready tweet, from its content.

The note's own summary section (どんなもの, TL;DR, Summary, 概要, Abstract), a "TL;DR:"
paragraph, the front matter's excerpt, its first prose, or else a title block's gist; never a
metadata or link line, an image, math or a references section.
"""

from __future__ import annotations

import re

from bot.core.metalines import is_link_only
from bot.core.note_parts import NoteParts
from bot.core.paper_fields import tweet_text
from bot.core.roles import heading_role
from bot.core.structure import Block, section_end
from bot.core.text import link_text, strip_emphasis

_TLDR = re.compile(
    r"^\s*(?:\*\*)?(?:tl\s*;?\s*dr|要約|summary|abstract)(?:\*\*)?\s*[;:：.-]\s*", re.I
)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_WIKILINK = re.compile(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]")  # [[page]], [[page|text]]
_MARKERS = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)+")
_PROSE_KINDS = ("paragraph", "list", "quote", "heading")
_SUMMARY_CHARS = 300
_NOT_SUMMARY = {"next", "tweet"}  # a links section ("## リンク") is no summary


def summary_of(parts: NoteParts) -> str | None:
    """What the note says the paper is: its summary section (どんなもの, TL;DR, Summary,
    Abstract), a "TL;DR:" paragraph, the front matter's excerpt, its first prose, or else
    the gist a title block gives under the title."""
    blocks = parts.blocks
    for i, block in enumerate(blocks):
        is_summary = block.kind == "heading" and heading_role(block.title) == "summary"
        if is_summary and (text := _section_text(parts, i)):
            return text
    for block in blocks:
        if block.kind == "paragraph" and _TLDR.match(text := _block_text(parts.lines, block)):
            return _cut(_TLDR.sub("", text))
    if parts.header.excerpt:
        return _cut(parts.header.excerpt)
    role = None
    for block in blocks:
        if block.kind == "heading":
            role = heading_role(block.title)
        elif role not in _NOT_SUMMARY and block.kind in ("paragraph", "list", "quote"):
            text = _block_text(parts.lines, block)
            if text:
                return _cut(text)
    return parts.header.subtitle


def _section_text(parts: NoteParts, index: int) -> str:
    """The prose of the section under heading ``index``; deeper headings read as sentences
    (some notes set their key sentence as a ``#####`` heading)."""
    end = section_end(parts.blocks, index, len(parts.lines))
    texts = []
    for block in parts.blocks[index + 1 :]:
        if block.start >= end:
            break
        if block.kind in _PROSE_KINDS:
            is_heading = block.kind == "heading"
            texts.append(block.title if is_heading else _block_text(parts.lines, block))
        if sum(len(t) for t in texts) >= _SUMMARY_CHARS:
            break
    return _cut(" ".join(t for t in texts if t))


def _block_text(lines: list[str], block: Block) -> str:
    """A block's prose: no markers, images, link targets, math or bare links."""
    kept = []
    for n in range(block.start, block.end):
        line = _MARKERS.sub("", _IMAGE.sub("", lines[n])).strip()
        if line and not is_link_only(line) and not line.startswith(("$$", "<")):
            kept.append(strip_emphasis(_WIKILINK.sub(r"\1", link_text(line))))
    return " ".join(kept)


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text[:_SUMMARY_CHARS]


def tweet_of(
    lines: list[str], blocks: list[Block], inner: list[tuple[int, Block]], end: int
) -> str | None:
    """The ready tweet of a "140字" / "ツイート" section among ``inner`` (index, block)."""
    for j, block in inner:
        if block.kind == "heading" and heading_role(block.title) == "tweet":
            stop = min(section_end(blocks, j, len(lines)), end)
            body = [
                "\n".join(lines[b.start : b.end])
                for _, b in inner
                if block.end <= b.start < stop and b.kind in ("paragraph", "quote", "list")
            ]
            return tweet_text("\n".join(body)) or None
    return None
