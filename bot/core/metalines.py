"""Metadata lines in a note's body: the paper's page, code, issue links, a citation, tags.

Under a note's (or a paper's) title, notes keep lines that describe rather than say:
``元の論文の公開ページ : [arxiv](…)``, ``Github Issues : [#77](…)``, ``Cite: [Mildenhall…](…)``,
``[View Paper](…)``, a Notion/Bear property block (``Created: …`` / ``Tags: …``), ``#tag`` lines,
Obsidian's ``key:: value`` fields. A paragraph is metadata when every line of it is such a
line and one of them carries a link or a known key; the first paragraph of prose ends the run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.core.roles import heading_role
from bot.core.structure import Block
from bot.core.text import MD_LINK, arxiv_id

_URL = re.compile(r"(?<![(\[])\bhttps?://[^\s<>()\[\]\"']+")
_KEY_VALUE = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?P<key>[^\s:：|\[\]()#`*!][^:：|\[\]()#`*。、]{0,29}?)"
    r"(?:\*\*|__)?\s*(?P<sep>::|:|：)(?:\*\*|__)?(?:\s+|$)(?P<value>.*)$"
)
_DATAVIEW = re.compile(r"^\s*[A-Za-z\u3040-\u9fff][\w\u3040-\u9fff -]{0,29}::\s*\S")
_LINK_ONLY = re.compile(  # "[View Paper](…)", "- <https://…>"
    r"^\s*(?:[-*+]\s+)?(?:(?<!!)\[[^\]]*\]\([^)]*\)\s*|<?https?://\S+>?\s*)+$"
)
_WIKILINKS_ONLY = re.compile(r"^\s*(?:\[\[[^\]]*\]\]\s*)+$")
_TAGS_ONLY = re.compile(r"^\s*(?:#[^\s#]+\s*){1,}$")
_KNOWN_KEYS = re.compile(
    r"^(?:title|tags?|keywords?|categor(?:y|ies)|date|created|updated|modified|last edited"
    r"|authors?|venue|conference|journal|year|status|type|url|links?|arxiv|paper|pdf|doi"
    r"|openreview|code|github|project(?: page)?|slides?|video|cite|citation|bibtex|source"
    r"|aliases|alias|rating|priority|read|reviewed|note|published|implementation|website"
    r"|著者|会議|年|論文|実装|出典|公開日|リンク|タグ|作成日|更新日|読んだ日|ステータス|元の論文.*)$",
    re.I,
)
_PAPER_HOSTS = re.compile(
    r"arxiv\.org|doi\.org|openreview\.net|aclanthology\.org|aclweb\.org/anthology"
    r"|papers\.nips\.cc|proceedings\.(?:neurips\.cc|mlr\.press)|openaccess\.thecvf\.com"
    r"|dl\.acm\.org|ieeexplore\.ieee\.org|link\.springer\.com|ojs\.aaai\.org|aaai\.org"
    r"|ijcai\.org|semanticscholar\.org|jmlr\.org|cv-foundation\.org|ecva\.net"
    r"|\.pdf(?:$|[?#])",
    re.I,
)
_PAPER_LABEL = re.compile(r"paper|論文|arxiv|pdf|公開ページ|原典|abs\b", re.I)
_NOT_PAPER = re.compile(r"github\.com|twitter\.com|x\.com/|youtube|qiita|zenn\.dev|/issues/", re.I)


@dataclass(slots=True)
class MetaRun:
    """Metadata found in a run of lines: which lines, their links and tags."""

    lines: set[int] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)  # (label or key, url)
    tags: list[str] = field(default_factory=list)

    def paper_link(self) -> str | None:
        return paper_link(self.links)


def links_in(line: str) -> list[tuple[str, str]]:
    """(label, url) of each Markdown link and bare URL of a line (images excluded)."""
    found = [(m["label"], m["url"]) for m in MD_LINK.finditer(line)]
    bare = MD_LINK.sub(" ", line)
    return found + [("", url.rstrip(".,;")) for url in _URL.findall(bare)]


def paper_link(links: list[tuple[str, str]]) -> str | None:
    """The link that is the paper itself: a paper host first, else one labeled as the paper."""
    usable = [(label, _repaired(url)) for label, url in links]
    usable = [(label, url) for label, url in usable if url.startswith("http")]
    for _, url in usable:
        if _PAPER_HOSTS.search(url) and not _NOT_PAPER.search(url):
            return url
    for label, url in usable:
        if _PAPER_LABEL.search(label) and not _NOT_PAPER.search(url):
            return url
    return None


def _repaired(url: str) -> str:
    """"ttp://arxiv.org/abs/1603.06393" and "arxiv.org/abs/…" as the arXiv page they mean."""
    if not url.startswith("http") and (aid := arxiv_id(url)):
        return f"https://arxiv.org/abs/{aid}"
    return url


def is_link_only(line: str) -> bool:
    """A line that is only links (Obsidian's "[[page]]" too): no prose to read or quote."""
    return bool(_LINK_ONLY.match(line) or _WIKILINKS_ONLY.match(line))


def _is_meta_line(line: str) -> bool:
    """A line of the shape metadata takes (not yet whether its paragraph is metadata)."""
    return bool(_LINK_ONLY.match(line) or _TAGS_ONLY.match(line) or _KEY_VALUE.match(line))


def _marks_meta(line: str) -> bool:
    """A line that makes its paragraph metadata: a link, a known key, an empty value."""
    if _LINK_ONLY.match(line) or _TAGS_ONLY.match(line) or _DATAVIEW.match(line):
        return True
    m = _KEY_VALUE.match(line)
    if m is None:
        return False
    value = m["value"].strip()
    known = _KNOWN_KEYS.match(m["key"].strip())
    return bool(links_in(value) or "[]()" in value or not value or known)


def meta_paragraph(lines: list[str], start: int, end: int) -> MetaRun | None:
    """Lines ``start``..``end`` as metadata, or None if they are prose."""
    body = [n for n in range(start, end) if lines[n].strip()]
    if not body or not all(_is_meta_line(lines[n]) for n in body):
        return None
    if not any(_marks_meta(lines[n]) for n in body):
        return None
    run = MetaRun(set(range(start, end)))
    for n in body:
        line = lines[n]
        m = _KEY_VALUE.match(line)
        key = m["key"].strip() if m and not _LINK_ONLY.match(line) else ""
        run.links += [(f"{key} {label}".strip(), url) for label, url in links_in(line)]
        if _TAGS_ONLY.match(line):
            run.tags += [t.lstrip("#") for t in line.split()]
        elif m and re.match(r"(?i)^(tags?|keywords?|タグ)$", key):
            split = r"\s*[,、]\s*" if re.search("[,、]", m["value"]) else r"\s+"
            run.tags += [t.strip(" #") for t in re.split(split, m["value"]) if t.strip(" #")]
    return run


def dataview_lines(lines: list[str], skip: set[int]) -> set[int]:
    """Obsidian inline fields (``rating:: 5``) anywhere in the note, outside ``skip`` (code)."""
    return {n for n, line in enumerate(lines) if n not in skip and _DATAVIEW.match(line)}


_MACRO_LINE = re.compile(
    r"^\s*(?:\$\$|\\(?:def|gdef|newcommand|renewcommand|DeclareMathOperator|let)\b)"
)


@dataclass(slots=True)
class NoteMeta:
    """Every metadata line of a note: its top, and the runs under paper-title headings."""

    top: MetaRun
    titles: dict[int, MetaRun]  # a heading's line → the metadata right under it
    lines: set[int]


def find_meta(lines: list[str], blocks: list[Block]) -> NoteMeta:
    """The note's top run (under its first heading when the note opens with one), the runs
    under headings that name a paper by its link, and Obsidian fields anywhere."""
    opens_with_title = bool(blocks) and _is_title_heading(blocks[0])
    top = _run_after(lines, blocks, 0 if opens_with_title else -1)
    titles = {blocks[0].start: top} if opens_with_title else {}
    for i, block in enumerate(blocks[1:], 1):
        if _is_title_heading(block):
            run = _run_after(lines, blocks, i)
            if run.paper_link():
                titles[block.start] = run
    code = {n for b in blocks if b.kind == "code" for n in range(b.start, b.end)}
    found = set(top.lines).union(*(run.lines for run in titles.values()))
    return NoteMeta(top, titles, found | dataview_lines(lines, code))


def _is_title_heading(block: Block) -> bool:
    return block.kind == "heading" and block.level <= 2 and heading_role(block.title) is None


def _run_after(lines: list[str], blocks: list[Block], index: int) -> MetaRun:
    """Metadata paragraphs right after block ``index`` (-1: the note's first blocks)."""
    run = MetaRun()
    for block in blocks[index + 1 :]:
        if block.kind == "html":
            continue  # "<!--more-->" and the like
        if block.kind not in ("paragraph", "list"):
            break
        found = meta_paragraph(lines, block.start, block.end) or _macros(lines, block)
        if found is None:
            break
        run.lines |= found.lines
        run.links += found.links
        run.tags += found.tags
    return run


def _macros(lines: list[str], block: Block) -> MetaRun | None:
    """A display-math block of macro definitions only (``$$ \\def\\R{\\mathbb{R}} $$``)."""
    body = [lines[n] for n in range(block.start, block.end) if lines[n].strip()]
    if body and all(_MACRO_LINE.match(line) for line in body):
        return MetaRun(set(range(block.start, block.end)))
    return None
