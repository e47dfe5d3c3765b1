"""One note in, its passages and paper mentions out: the pure heart of the ingest job."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from bot.core.chunking import pack, sections_of
from bot.core.models import Chunk, PaperMention
from bot.core.papers import extract_papers
from bot.core.structure import heading_paths, make_parser, parse_blocks, split_blocks_at


@dataclass(frozen=True, slots=True)
class ChunkingOptions:
    max_chars: int = 700
    min_chars: int = 120

    def fingerprint(self) -> str:
        return f"notes-v2:{self.max_chars}:{self.min_chars}"  # v2: mentions carry nicknames


@dataclass(slots=True)
class ParsedNote:
    source: str
    chunks: list[Chunk]
    mentions: list[PaperMention]


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def parse_note(
    source: str, text: str, *, options: ChunkingOptions, content_hash: str
) -> ParsedNote:
    """Split ``text`` (the note at relative path ``source``) into cited-ready chunks and papers.

    ``content_hash`` (of the file's bytes) goes into chunk ids, so ids are stable for unchanged
    content and a re-run after a crash writes the same ids again instead of duplicates.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    normalized = "\n".join(lines)
    blocks = parse_blocks(normalized, parser=make_parser())
    found = extract_papers(source, lines, blocks, heading_paths(blocks))
    cut_lines = {span.start for span in found.spans} | {span.end for span in found.spans}
    blocks = split_blocks_at(blocks, cut_lines)
    paths = heading_paths(blocks)
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
    return ParsedNote(source, chunks, found.mentions)
