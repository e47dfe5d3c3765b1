"""Find the papers a note talks about.

* a note about one paper, whatever its format (bot.core.single_paper);
* deep dives: a title heading with the paper's link right under it (or as the heading itself),
  then its sections, maybe a "140字" tweet section; section headings are never papers;
* tables of papers (a title column, a venue/year column, a summary column) and
  ``### Title, Venue Year`` headings or ``1. **Title** (Venue Year)`` items under a 論文 heading;
* paper-note lists: ``[Paper Note] Title, Authors, Venue'YY, YYYY.MM`` + ``Paper/Blog Link``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.metalines import links_in, paper_link
from bot.core.models import PaperMention, SourceRef
from bot.core.nicknames import nicknames, venue_nicknames
from bot.core.note_parts import NoteParts
from bot.core.note_summary import tweet_of
from bot.core.paper_fields import (
    cell_of,
    clean_title,
    column_of,
    parse_entry_line,
    parse_venue_year,
)
from bot.core.roles import heading_role
from bot.core.single_paper import note_paper
from bot.core.structure import Block, section_end, table_rows
from bot.core.text import strip_emphasis

_LINK = re.compile(
    r"\]\((https?://[^)\s]+)\)|(https?://(?:arxiv\.org|doi\.org|openreview\.net)\S+)"
)
_PAPERS_HEADING = re.compile(r"論文(?!誌)|papers?\b", re.I)  # "会議, 論文誌" holds a venue
_TITLE_COL = re.compile(r"タイトル|title|論文|paper", re.I)
_VENUE_COL = re.compile(r"会議|年|venue|year|出版|conference", re.I)
_SUMMARY_COL = re.compile(r"要約|summary|概要", re.I)
_ENTRY_LINK = re.compile(r"^Paper/Blog Link\b")
_ITEM = re.compile(
    r"^\s*(?:\d+[.)]|[-*+])\s+\*\*(?P<title>[^*]+)\*\*\s*\((?P<venue>[^)]*\d{4}[^)]*)\)"
)
_HEADING_VENUE = re.compile(
    r"^(?P<title>.+?)\s+[—–]\s+(?P<venue>.*\b(?:19|20)\d{2}\b.*)$"  # Title — Venue, Year
    r"|^(?P<title2>.+),\s*(?P<venue2>[^,]*\b(?:19|20)\d{2}\b[^,]*)$"  # Title, Venue Year
)
_Paths = list[tuple[str, ...]]  # each block's heading path


@dataclass(frozen=True, slots=True)
class PaperSpan:
    """Lines ``start``..``end`` (0-based, end exclusive) are about this paper."""

    start: int
    end: int
    title: str
    url: str | None = None


@dataclass(slots=True)
class NotePapers:
    mentions: list[PaperMention]
    spans: list[PaperSpan]


def extract_papers(parts: NoteParts, paths: list[tuple[str, ...]]) -> NotePapers:
    source, lines, blocks = parts.source, parts.lines, parts.blocks
    found = NotePapers([], [])
    _deep_dives(parts, paths, found)
    _tables(source, lines, blocks, paths, found)
    _headings_and_items(source, lines, blocks, paths, found)
    _entries(source, lines, blocks, found)
    _single_paper(parts, found)
    for mention, span in zip(found.mentions, found.spans, strict=True):  # appended in pairs
        own = nicknames(mention.title, "\n".join(lines[span.start : span.end]))
        mention.nicknames += [n for n in own if n not in mention.nicknames]
    found.spans.sort(key=lambda span: (span.start, -span.end))
    return found


def _deep_dives(parts: NoteParts, paths: _Paths, found: NotePapers) -> None:
    source, lines, blocks = parts.source, parts.lines, parts.blocks
    for i, block in enumerate(blocks):
        if block.kind != "heading" or block.level > 2 or heading_role(block.title) is not None:
            continue
        run = parts.meta.titles.get(block.start)
        url = (run.paper_link() if run else None) or paper_link([("paper", block.link)])
        if url is None:
            continue
        end = section_end(blocks, i, len(lines))
        title = clean_title(block.title)
        ref = SourceRef(source, " > ".join(paths[i]), block.start + 1)
        inner = [(j, b) for j, b in enumerate(blocks) if block.start < b.start < end]
        tweet = tweet_of(lines, blocks, inner, end)
        summary = _first_paragraph(lines, inner, skip_link=True)
        found.mentions.append(PaperMention(title, ref, url=url, tweet=tweet, summary=summary))
        found.spans.append(PaperSpan(block.start, end, title, url))


def _single_paper(parts: NoteParts, found: NotePapers) -> None:
    """A note about one paper becomes it, or completes the paper its title heading gave."""
    heading = parts.title_index
    start = parts.blocks[heading].start if heading is not None else None
    existing = None
    if found.spans:
        span = found.spans[0]
        if len(found.spans) > 1 or span.start != start or span.end != len(parts.lines):
            return  # a list, a table or several deep dives: a note of many papers
        existing = found.mentions[0]
    mention = note_paper(parts, existing)
    if mention is None:
        return
    found.mentions[:] = [mention]
    found.spans[:] = [PaperSpan(0, len(parts.lines), mention.title, mention.url)]


def _first_paragraph(
    lines: list[str], inner: list[tuple[int, Block]], *, skip_link: bool
) -> str | None:
    for _, block in inner:
        if block.kind != "paragraph":
            continue
        text = strip_emphasis(" ".join(lines[block.start : block.end]).strip())
        if skip_link and _LINK.search(text) and len(text) < 120:
            continue
        return text[:300]
    return None


def _tables(
    source: str, lines: list[str], blocks: list[Block], paths: _Paths, found: NotePapers
) -> None:
    for i, block in enumerate(blocks):
        if block.kind != "table":
            continue
        rows = table_rows(lines[block.start : block.end])
        if len(rows) < 2:
            continue
        header = rows[0]
        title_col = column_of(header, _TITLE_COL, exclude=_SUMMARY_COL)
        if title_col is None:
            continue
        venue_col = column_of(header, _VENUE_COL, exclude=_TITLE_COL)
        summary_col = column_of(header, _SUMMARY_COL)
        heading = " > ".join(paths[i])
        for offset, line in enumerate(lines[block.start : block.end]):
            line_rows = table_rows([line])
            if not line_rows or line_rows[0] == header or len(line_rows[0]) <= title_col:
                continue
            cells = line_rows[0]
            title, authors = clean_title(cells[title_col], with_authors=True)
            url = paper_link(links_in(cells[title_col]))  # "[CNN-SLAM](https://arxiv.org/…)"
            if not title or title.startswith("…") or not re.search(r"[A-Za-z]", title):
                continue
            venue, year = parse_venue_year(cell_of(cells, venue_col))
            line_no = block.start + offset
            ref = SourceRef(source, heading, line_no + 1)
            summary = strip_emphasis(cell_of(cells, summary_col)) or None
            found.mentions.append(
                PaperMention(title, ref, url=url, venue=venue, year=year, authors=authors,
                             summary=summary, nicknames=venue_nicknames(cell_of(cells, venue_col)))
            )
            found.spans.append(PaperSpan(line_no, line_no + 1, title, url))


def _headings_and_items(
    source: str, lines: list[str], blocks: list[Block], paths: _Paths, found: NotePapers
) -> None:
    for i, block in enumerate(blocks):
        parents = paths[i][:-1] if block.kind == "heading" else paths[i]
        if not parents or not _PAPERS_HEADING.search(parents[-1]):
            continue
        heading = " > ".join(paths[i])
        if block.kind == "heading" and (m := _HEADING_VENUE.match(block.title)):
            title = clean_title(m["title"] or m["title2"])
            venue, year = parse_venue_year(m["venue"] or m["venue2"])
            end = section_end(blocks, i, len(lines))
            inner = [(j, b) for j, b in enumerate(blocks) if block.start < b.start < end]
            summary = _first_paragraph(lines, inner, skip_link=False)
            ref = SourceRef(source, heading, block.start + 1)
            found.mentions.append(PaperMention(title, ref, venue=venue, year=year, summary=summary))
            found.spans.append(PaperSpan(block.start, end, title))
        elif block.kind == "list":
            _list_items(source, lines, block, heading, found)


def _list_items(
    source: str, lines: list[str], block: Block, heading: str, found: NotePapers
) -> None:
    starts = [n for n in range(block.start, block.end) if _ITEM.match(lines[n])]
    for n, next_start in zip(starts, [*starts[1:], block.end], strict=False):
        m = _ITEM.match(lines[n])
        assert m is not None
        title = clean_title(m["title"])
        venue, year = parse_venue_year(m["venue"])
        summary = " ".join(line.strip() for line in lines[n + 1 : next_start]).strip() or None
        ref = SourceRef(source, heading, n + 1)
        found.mentions.append(PaperMention(title, ref, venue=venue, year=year, summary=summary))
        found.spans.append(PaperSpan(n, next_start, title))


def _entries(source: str, lines: list[str], blocks: list[Block], found: NotePapers) -> None:
    """Paper-note list entries: a title line directly followed by a ``Paper/Blog Link`` line."""
    code_lines = {n for b in blocks if b.kind == "code" for n in range(b.start, b.end)}
    starts = [
        n
        for n in range(len(lines) - 1)
        if _ENTRY_LINK.match(lines[n + 1].strip()) and lines[n].strip() and n not in code_lines
    ]
    headings = sorted(b.start for b in blocks if b.kind == "heading")
    for n, next_start in zip(starts, [*starts[1:], len(lines)], strict=False):
        end = min([next_start, *(h for h in headings if h > n)])
        fields = parse_entry_line(lines[n])
        if fields is None:
            continue
        body = "\n".join(lines[n + 2 : end])
        tags = re.findall(r"(?<!\S)#([^\s#]+)", body.split("Issue Date:")[0])
        summary = re.search(r"GPT Summary-\s*(.+?)(?:\s+Comment\s*$|$)", body, re.M)
        found.mentions.append(
            PaperMention(
                fields.title,
                SourceRef(source, "", n + 1),
                venue=fields.venue,
                year=fields.year,
                authors=fields.authors,
                tags=tags,
                summary=summary.group(1).strip() if summary else None,
            )
        )
        found.spans.append(PaperSpan(n, end, fields.title))
