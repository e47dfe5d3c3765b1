"""A note about one paper is that paper, whatever its format.

Most researchers keep one file per paper: Jekyll/Hugo/Obsidian front matter, a pandoc title
block, a ``# Title`` with its links, the 落合フォーマット, English TL;DR/Idea/Results sections,
a file named after the paper or its arXiv id. Such a note yields one paper: its title in order
of trust (front matter, title block, first heading, the title of its paper link, the file
name), its link and arXiv id, tags and other names, a summary from its content.
"""

from __future__ import annotations

import re

from bot.core.frontmatter import NoteHeader
from bot.core.metalines import NoteMeta, links_in, paper_link
from bot.core.models import PaperMention, SourceRef
from bot.core.note_parts import NoteParts, file_title
from bot.core.note_summary import summary_of, tweet_of
from bot.core.paper_fields import clean_title, parse_venue_year
from bot.core.roles import heading_role
from bot.core.text import arxiv_id, title_key

_VENUE_TAG = re.compile(r"^(?P<venue>[A-Z][A-Za-z-]+)\s*'?(?P<year>(?:19|20)?\d{2})$")
_LINK_LABEL = re.compile(r"^(?:arxiv|pdf|paper|link|abs|view paper|論文|here)$", re.I)
_ABOUT_A_PAPER = re.compile(
    r"\b(?:the|this) (?:authors?|paper|work)\b|\bwe (?:propose|present|introduce)\b"
    r"|本論文|この論文|本研究|著者ら|提案(?:した|する|している)",
    re.I,
)
_PAPER_ROLES = {"summary", "novelty", "method", "evaluation"}


def is_about_one_paper(parts: NoteParts, link: str | None, title: str | None) -> bool:
    """Under a title: a paper's link or id, a pandoc title block describing the work, a
    paper note's sections (two of what it is, what is new, its method, its evaluation: a
    topic memo has 概要 and メモ), or a summary that speaks of "the authors"/"本論文"."""
    if link or parts.header.arxiv or file_title(parts.source)[1]:
        return True
    if not title:
        return False
    if parts.header.title_from == "title block" and parts.header.described:
        return True
    roles = {heading_role(b.title) for b in parts.blocks if b.kind == "heading"}
    return len(roles & _PAPER_ROLES) >= 2 or bool(_ABOUT_A_PAPER.search(summary_of(parts) or ""))


def note_paper(parts: NoteParts, existing: PaperMention | None) -> PaperMention | None:
    """The note's one paper (``existing``: a paper the note's title heading already gave)."""
    header, meta, blocks = parts.header, parts.meta, parts.blocks
    heading = parts.title_index
    named, file_id = file_title(parts.source)
    own_link = blocks[heading].link if heading is not None else ""
    link = (
        paper_link([("paper", u) for u in header.links])
        or meta.top.paper_link()
        or paper_link([("paper", own_link)] if own_link else [])
        or _first_section_link(parts)
    )
    label = _link_label(meta)
    own = blocks[heading].title if heading is not None else None
    title = next((t for t in (header.title, own, label) if t and len(title_key(t)) >= 2), None)
    if not is_about_one_paper(parts, link, title or named):
        return None
    title = clean_title(title or named or "")
    if not title:
        return None
    link = link or _titled_link(parts, title)
    aid = header.arxiv or file_id or (arxiv_id(link) if link else None)
    url = f"https://arxiv.org/abs/{aid}" if aid and not (link and arxiv_id(link)) else link
    line = blocks[heading].start + 1 if heading is not None else 1
    mention = existing or PaperMention(title, SourceRef(parts.source, "", line))
    mention.title, mention.url = title, url or mention.url
    mention.tags = list(dict.fromkeys([*mention.tags, *header.tags, *meta.top.tags]))
    mention.venue, mention.year = _venue_year(header, mention.tags, aid)
    others = [*header.aliases, named, blocks[heading].title if heading is not None else None]
    mention.names += [n for n in _other_names(title, others) if n not in mention.names]
    mention.summary = summary_of(parts) or mention.summary
    mention.tweet = mention.tweet or tweet_of(
        parts.lines, blocks, list(enumerate(blocks)), len(parts.lines)
    )
    return mention


def _first_section_link(parts: NoteParts) -> str | None:
    """The paper's link in the note's first section ("* [Link to the paper](…)")."""
    title = parts.title_index
    headings = [b for i, b in enumerate(parts.blocks) if b.kind == "heading" and i != title]
    end = headings[1].start if len(headings) > 1 else len(parts.lines)
    return paper_link([link for line in parts.lines[:end] for link in links_in(line)])


def _titled_link(parts: NoteParts, title: str) -> str | None:
    """A link whose text holds the title: the citation in "論文情報・リンク" or "References"."""
    key = f" {title_key(title)} "
    for line in parts.lines:
        for label, url in links_in(line):
            if len(key) > 12 and key in f" {title_key(label)} " and url.startswith("http"):
                return url
    return None


def _link_label(meta: NoteMeta) -> str | None:
    """The title a bare ``[Title](https://arxiv.org/…)`` line at the top gives."""
    for label, url in meta.top.links:
        words = label.split()
        if len(words) >= 2 and not _LINK_LABEL.match(label.strip()) and paper_link([("", url)]):
            return label
    return None


def _venue_year(
    header: NoteHeader, tags: list[str], aid: str | None
) -> tuple[str | None, int | None]:
    venue, year = header.venue, header.year
    if venue and not year:
        venue, year = parse_venue_year(venue)
    for tag in tags:
        if not venue and (m := _VENUE_TAG.match(tag.strip())):
            venue, year = m["venue"], year or _full_year(m["year"])
        elif year is None and re.fullmatch(r"(?:19|20)\d\d", tag.strip()):
            year = int(tag)
    if year is None and aid:
        year = 2000 + int(aid[:2])  # arXiv ids start with the year and month: 2011.10566
    return venue, year


def _full_year(text: str) -> int:
    value = int(text)
    return value if value > 1900 else (2000 + value if value < 70 else 1900 + value)


def _other_names(title: str, names: list[str | None]) -> list[str]:
    """Names besides the title: aliases, a file named after the paper ("SimSiam")."""
    key = title_key(title)
    found = []
    for name in names:
        name = (name or "").strip()
        if len(title_key(name)) >= 2 and title_key(name) != key and len(name) <= 80:
            found.append(name)
    return list(dict.fromkeys(found))


