"""Field parsers for paper mentions: titles, venues and years, list entries, tweets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, overload

from bot.core.text import link_text, strip_emphasis

_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_SHORT_YEAR = re.compile(r"^(?P<venue>.+?)'(?P<yy>\d{2})$")
_DATE = re.compile(r"^(19|20)\d{2}\.\d{2}$")
_AUTHORS = re.compile(r"\s*\((?P<authors>[^()]*(?:et al\.?|\+)[^()]*)\)\s*$")
_NOT_TWEET = re.compile(r"^\s*('''|```|---+|\*\*\*+)\s*$")
# Notes pasted from a chat model sometimes carry its next reply's preamble after the tweet.
_CHATTER = re.compile(r"^\s*(?:はい[、,]|承知(?:いた)?しました|Sure[,!]|Here(?: is|'s) )")


@dataclass(frozen=True, slots=True)
class EntryFields:
    title: str
    authors: str | None
    venue: str | None
    year: int | None


@overload
def clean_title(raw: str, *, with_authors: Literal[False] = False) -> str: ...
@overload
def clean_title(raw: str, *, with_authors: Literal[True]) -> tuple[str, str | None]: ...
def clean_title(raw: str, *, with_authors: bool = False) -> str | tuple[str, str | None]:
    """Strip emphasis, links (their text stays) and trailing ``(Author et al.)``; optionally
    return the authors too."""
    text = link_text(strip_emphasis(raw)).strip()
    authors = None
    if m := _AUTHORS.search(text):
        authors = m["authors"].strip()
        text = text[: m.start()].strip()
    text = text.strip(" *_,—–-")
    return (text, authors) if with_authors else text


def parse_venue_year(text: str) -> tuple[str | None, int | None]:
    """``NeurIPS 2024 (arXiv 2023)`` → (NeurIPS, 2024); ``2022, **ICML**`` → (ICML, 2022)."""
    text = strip_emphasis(text)
    year_match = _YEAR.search(text)
    year = int(year_match.group(1)) if year_match else None
    venue = re.sub(r"\([^)]*\)", " ", text)
    venue = _YEAR.sub(" ", venue)
    venue = re.sub(r"\s+", " ", venue).strip(" ,;—–-")
    return (venue or None), year


def parse_entry_line(line: str) -> EntryFields | None:
    """``[Paper Note] Title, Authors, Venue'YY, YYYY.MM`` (prefix, venue and date optional)."""
    text = re.sub(r"^\s*\[Paper Note\]\s*", "", line.strip())
    parts = [part.strip() for part in text.split(", ")]
    year = None
    if len(parts) > 1 and _DATE.match(parts[-1]):
        year = int(parts.pop()[:4])
    venue = None
    if len(parts) > 1 and (m := _SHORT_YEAR.match(parts[-1])):
        parts.pop()
        venue = m["venue"]
        year = 2000 + int(m["yy"]) if int(m["yy"]) < 70 else 1900 + int(m["yy"])
    authors = parts.pop() if len(parts) > 1 else None
    title = ", ".join(parts).strip()
    if not title:
        return None
    return EntryFields(title, authors, venue, year)


def tweet_text(section: str) -> str:
    """The ready tweet of a section: its lines minus stray fences/rules, whitespace tidied."""
    kept: list[str] = []
    for line in section.splitlines():
        if _CHATTER.match(line):
            break
        if not _NOT_TWEET.match(line) and line.strip():
            kept.append(line.strip())
    return "\n".join(kept)


def column_of(
    header: list[str], pattern: re.Pattern[str], exclude: re.Pattern[str] | None = None
) -> int | None:
    for index, cell in enumerate(header):
        if pattern.search(cell) and not (exclude and exclude.search(cell)):
            return index
    return None


def cell_of(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""
