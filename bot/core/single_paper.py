"""A note about one paper is that paper, whatever its format.

Most researchers keep one file per paper: Jekyll/Hugo/Obsidian front matter, a pandoc title
block, a ``# Title`` with its links, the 落合フォーマット, English TL;DR/Idea/Results sections,
a file named after the paper or its arXiv id. Such a note yields one paper: its title in order
of trust (front matter, title block, first heading, the title of its paper link, the file
name), its link and arXiv id, tags and other names, a summary from its content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from bot.core.frontmatter import NoteHeader
from bot.core.metalines import NoteMeta, links_in, paper_link
from bot.core.models import PaperMention, SourceRef
from bot.core.paper_fields import clean_title, parse_venue_year, tweet_text
from bot.core.roles import heading_role
from bot.core.structure import Block, section_end
from bot.core.text import arxiv_id, strip_emphasis, title_key

_DATE_PREFIX = re.compile(r"^\d{4}[-_.]?\d{2}[-_.]?\d{2}[-_ ]*")
# "X copy", "X (1)", Notion's "X 3f2a9c…" export id
_COPY_SUFFIX = re.compile(r"(?:\s+copy|\s*\(\d+\)|\s+[0-9a-f]{6,32})$", re.I)
_GENERIC_NAMES = re.compile(r"^(?:readme|index|untitled|note|notes|memo|draft|template)\b", re.I)
_VENUE_TAG = re.compile(r"^(?P<venue>[A-Z][A-Za-z-]+)\s*'?(?P<year>(?:19|20)?\d{2})$")
_TLDR = re.compile(
    r"^\s*(?:\*\*)?(?:tl\s*;?\s*dr|要約|summary|abstract)(?:\*\*)?\s*[;:：.-]\s*", re.I
)
_LINK_LABEL = re.compile(r"^(?:arxiv|pdf|paper|link|abs|view paper|論文|here)$", re.I)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_WIKILINK = re.compile(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]")  # [[page]], [[page|text]]
_LINK_ONLY = re.compile(r"^(?:\[[^\]]*\]\([^)]*\)|\[\[[^\]]*\]\]|<?https?://\S+>?|\s)+$")
_MARKERS = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)+")
_PROSE_KINDS = ("paragraph", "list", "quote", "heading")
_SUMMARY_CHARS = 300
_ABOUT_A_PAPER = re.compile(
    r"\b(?:the|this) (?:authors?|paper|work)\b|\bwe (?:propose|present|introduce)\b"
    r"|本論文|この論文|本研究|著者ら|提案(?:した|する|している)",
    re.I,
)
_NOT_SUMMARY = {"next", "tweet"}  # a links section ("## リンク") is no summary
_PAPER_ROLES = {"summary", "novelty", "method", "evaluation"}


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
    title = header.title or (blocks[heading].title if heading is not None else None) or label
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
        if name and title_key(name) and title_key(name) != key and len(name) <= 80:
            found.append(name)
    return list(dict.fromkeys(found))


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
        text = _block_text(parts.lines, block)
        if block.kind == "paragraph" and _TLDR.match(text):
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
    level = parts.blocks[index].level
    texts = []
    for block in parts.blocks[index + 1 :]:
        if block.kind == "heading" and block.level <= level:
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
        if line and not _LINK_ONLY.match(line) and not line.startswith(("$$", "<")):
            kept.append(strip_emphasis(_WIKILINK.sub(r"\1", _MD_LINK.sub(r"\1", line))))
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
