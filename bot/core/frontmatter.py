"""A note's own metadata at its top: YAML/TOML front matter and pandoc title blocks.

Jekyll, Hugo and Obsidian notes open with ``---`` YAML (``+++`` TOML for Hugo): title, tags,
date, aliases, excerpt and link fields. Pandoc notes open with ``% Title`` (sometimes
``% [1902.09859] Title``), then ``%`` lines of authors or links and keywords. These are fields
of the note, not its prose: their lines are handed back so that nothing indexes or quotes them.
A block that looks like front matter but does not parse is read as text, with a warning.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field

import yaml

from bot.core.text import arxiv_id

_FENCES = {"---": ("---", "..."), "+++": ("+++",)}
_MAX_FRONT_LINES = 300  # a closing fence further down is a horizontal rule, not front matter
_KEY_LINE = re.compile(r"^[A-Za-z_][\w -]*\s*[:=]")  # "title:" / "title =": meant as fields
_URL = re.compile(r"https?://[^\s<>()\[\]\"']+")
_ID_TITLE = re.compile(r"^\[(?:arxiv:)?(?P<id>\d{4}\.\d{4,5})(?:v\d+)?\]\s*(?P<title>.+)$", re.I)
_DATE = re.compile(r"^\d{4}[-/.]\d{1,2}(?:[-/.]\d{1,2})?\b")
_JA_PROSE = re.compile(r"[\u3041-\u309f]")  # hiragana: a sentence, not a keyword list
_TITLE_KEYS = ("title", "name")
_TAG_KEYS = ("tags", "tag", "categories", "category", "keywords", "topics")
_ALIAS_KEYS = ("aliases", "alias", "short_name", "nickname", "abbr")
_EXCERPT_KEYS = ("excerpt", "description", "summary", "tldr", "tl;dr", "abstract", "subtitle")
_LINK_KEYS = ("arxiv", "paper", "url", "link", "doi", "pdf", "openreview", "source", "paper_url")
_VENUE_KEYS = ("venue", "conference", "booktitle", "journal", "会議")
_YEAR_KEYS = ("year", "published", "年")
_DATE_KEYS = ("date", "created", "updated")


@dataclass(slots=True)
class NoteHeader:
    """What a note says of itself; ``lines`` (0-based) are the metadata, not the prose."""

    title: str | None = None
    title_from: str | None = None  # "front matter" or "title block"
    tags: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    arxiv: str | None = None
    excerpt: str | None = None
    subtitle: str | None = None  # a title block's line of prose: the author's one-line gist
    date: str | None = None
    venue: str | None = None
    year: int | None = None
    lines: set[int] = field(default_factory=set)
    described: bool = False  # a title block with more than its title: authors, links, keywords
    warning: str | None = None


def read_header(lines: list[str]) -> NoteHeader:
    """The front matter or title block at the top of ``lines``, if any."""
    header = NoteHeader()
    start = _first_text_line(lines, 0)
    if start < len(lines) and lines[start].strip() in _FENCES:
        _front_matter(lines, start, header)
        if header.lines:
            start = _first_text_line(lines, max(header.lines) + 1)
    if start < len(lines) and lines[start].startswith("%"):
        _title_block(lines, start, header)
    return header


def _first_text_line(lines: list[str], start: int) -> int:
    while start < len(lines) and not lines[start].strip().lstrip("\ufeff"):
        start += 1
    return start


def _front_matter(lines: list[str], start: int, header: NoteHeader) -> None:
    fence = lines[start].strip()
    looks_meant = start + 1 < len(lines) and bool(_KEY_LINE.match(lines[start + 1]))
    end = next(
        (n for n in range(start + 1, min(len(lines), start + _MAX_FRONT_LINES))
         if lines[n].rstrip() in _FENCES[fence]),
        None,
    )
    if end is None:
        if looks_meant:
            header.warning = (
                f"front matter opened on line {start + 1} is never closed: read as text"
            )
        return
    body = "\n".join(lines[start + 1 : end])
    try:
        data = tomllib.loads(body) if fence == "+++" else yaml.safe_load(body)
    except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError) as exc:
        if looks_meant:
            reason = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
            header.warning = (
                f"front matter on lines {start + 1}-{end + 1} is not valid ({reason}): "
                "read as text"
            )
        return
    if not isinstance(data, Mapping):
        return  # "---" rules around a paragraph, not fields
    header.lines.update(range(start, end + 1))
    _fields({str(k).lower(): v for k, v in data.items()}, header)


def _fields(data: Mapping[str, object], header: NoteHeader) -> None:
    header.title = _text(_first(data, _TITLE_KEYS)) or None
    header.title_from = "front matter" if header.title else None
    header.tags = _items(_first(data, _TAG_KEYS))
    header.aliases = _items(_first(data, _ALIAS_KEYS))
    header.excerpt = _text(_first(data, _EXCERPT_KEYS)) or None
    header.venue = _text(_first(data, _VENUE_KEYS)) or None
    year = _text(_first(data, _YEAR_KEYS))
    header.year = int(year[:4]) if re.match(r"^(19|20)\d\d", year) else None
    header.date = _text(_first(data, _DATE_KEYS)) or None
    for key in _LINK_KEYS:
        for value in _items(data.get(key)):
            if key == "doi" and not value.startswith("http"):
                value = f"https://doi.org/{value}"
            elif key == "arxiv" and (aid := arxiv_id(value)) and not value.startswith("http"):
                value = f"https://arxiv.org/abs/{aid}"
            header.links += _URL.findall(value)
    header.arxiv = next((aid for link in header.links if (aid := arxiv_id(link))), None)


def _title_block(lines: list[str], start: int, header: NoteHeader) -> None:
    """Pandoc's ``% title`` / ``% authors`` / ``% date`` lines (here often links, keywords)."""
    block: list[tuple[int, str]] = []
    n = start
    while n < len(lines) and (lines[n].startswith("%") or (block and lines[n].startswith(" "))):
        if lines[n].startswith("%"):
            block.append((n, lines[n][1:].strip()))
        n += 1
    if not block or not block[0][1]:
        return
    header.lines.update(range(start, n))
    header.described = len(block) > 1
    first = block[0][1]
    if m := _ID_TITLE.match(first):
        header.arxiv, first = m["id"], m["title"].strip()
    if not header.title:
        header.title, header.title_from = first, "title block"
    for _, value in block[1:]:
        urls = _URL.findall(value)
        if urls:
            header.links += urls
        elif _DATE.match(value):
            header.date = header.date or value
        elif _JA_PROSE.search(value) and len(value) > 12:
            header.subtitle = header.subtitle or value
        elif value:
            header.tags += [t for t in re.split(r"[\s,;、]+", value) if t]
    if header.arxiv is None:
        header.arxiv = next((aid for link in header.links if (aid := arxiv_id(link))), None)


def _first(data: Mapping[str, object], keys: tuple[str, ...]) -> object:
    return next((data[k] for k in keys if data.get(k) not in (None, "", [])), None)


def _text(value: object) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return " ".join(str(value).split()) if value is not None else ""


def _items(value: object) -> list[str]:
    """A list field, or a comma-separated string ("NLP, LLM"); "#tag" and "[[x]]" unwrapped."""
    if value is None:
        return []
    raw = value if isinstance(value, list) else re.split(r"\s*,\s*", str(value))
    items = [str(item).strip().lstrip("#").strip("[]").strip() for item in raw]
    return list(dict.fromkeys(item for item in items if item))
