"""A note as parsed: its lines (metadata blanked), blocks, header and metadata runs; which
heading titles it, and the title a file name carries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from bot.core.frontmatter import NoteHeader
from bot.core.metalines import NoteMeta
from bot.core.roles import heading_role
from bot.core.structure import Block
from bot.core.text import arxiv_id

_DATE_PREFIX = re.compile(r"^\d{4}[-_.]?\d{2}[-_.]?\d{2}[-_ ]*")
# "X copy", "X (1)", Notion's "X 3f2a9c…" export id
_COPY_SUFFIX = re.compile(r"(?:\s+copy|\s*\(\d+\)|\s+[0-9a-f]{6,32})$", re.I)
_GENERIC_NAMES = re.compile(r"^(?:readme|index|untitled|note|notes|memo|draft|template)\b", re.I)


@dataclass(frozen=True, slots=True)
class NoteParts:
    """One note, parsed: its lines (metadata blanked), blocks, header and metadata."""

    source: str
    lines: list[str]
    blocks: list[Block]
    header: NoteHeader
    meta: NoteMeta

    @property
    def title_index(self) -> int | None:
        """The block of the heading that titles the note, if one does."""
        return title_heading(self.blocks, titled_above=self.header.title is not None)


def file_title(source: str) -> tuple[str | None, str | None]:
    """(title, arXiv id) a file name carries: "2019-05-25-Class-Balanced-Loss.md",
    "1902.09859.md", "SimSiam.md"; a generic name ("README", a hash) carries none."""
    stem = PurePosixPath(source).stem
    if aid := arxiv_id(stem):
        return None, aid
    stem = _COPY_SUFFIX.sub("", _DATE_PREFIX.sub("", stem)).strip()
    if " " not in stem:  # "LoRA_Low-Rank_Adaptation", "Class-Balanced-Loss-Based-on"
        stem = re.sub("_+" if "_" in stem else "-+", " ", stem).strip()
    if _GENERIC_NAMES.match(stem) or not re.search(r"[A-Za-z]{2}|[\u3040-\u9fff]", stem):
        return None, None
    if re.fullmatch(r"[0-9a-f\s]+", stem) or re.search(r"\d{3}[ _][0-9a-f]{8,}", stem):
        return None, None  # numbered or hashed exports ("000_5beaa248cf8395b4")
    return stem, None


def title_heading(blocks: list[Block], *, titled_above: bool = False) -> int | None:
    """The heading that titles the note: its first block (a level-1 or 2 heading, or a link
    to the paper: "### [End-To-End Memory Networks](…)"), or its first level-1 heading.
    ``titled_above``: front matter or a title block gave the title, so only a level-1
    heading can repeat it; a first "## Agenda" is a section."""
    for i, block in enumerate(blocks):
        if block.kind != "heading":
            continue
        first = i == 0 and not titled_above
        titled = block.level == 1 or (first and (block.level <= 2 or bool(block.link)))
        return i if titled and heading_role(block.title) is None else None
    return None
