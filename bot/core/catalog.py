"""Merge paper mentions from all notes into one catalog record per paper."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.core.models import Paper, PaperMention
from bot.core.text import arxiv_id, short_name, title_key

_MIN_PREFIX_WORDS = 4  # "At Which Training Stage Does Code Data Help?" ⊂ "... Help LLMs Reasoning?"


def build_catalog(
    mentions: Iterable[PaperMention], first_seen: Mapping[str, str] | None = None
) -> list[Paper]:
    """One Paper per distinct paper, merged by arXiv id, title, short name or title prefix.

    ``first_seen`` maps identity keys to when they entered the index (see identity_keys).
    """
    papers: list[Paper] = []
    by_key: dict[str, Paper] = {}
    for mention in sorted(mentions, key=lambda m: (m.ref.source, m.ref.line)):
        paper = _find(mention, by_key, papers)
        if paper is None:
            paper = Paper(key="", title=mention.title)
            papers.append(paper)
        _merge(paper, mention)
        for key in _keys(mention):
            by_key.setdefault(key, paper)
    _unique_nicknames(papers)
    for paper in papers:
        paper.key = _stable_key(paper)
        if first_seen:
            seen = [first_seen[k] for k in identity_keys(paper) if k in first_seen]
            paper.first_seen = min(seen, default=None)
    return sorted(papers, key=lambda p: p.title.lower())


def _unique_nicknames(papers: list[Paper]) -> None:
    """A name two papers claim, or another paper's title, names neither."""
    claims: dict[str, int] = {}
    for paper in papers:
        for key in {title_key(n) for n in [*paper.nicknames, *paper.names]}:
            claims[key] = claims.get(key, 0) + 1
    titles = {title_key(a) for paper in papers for a in [paper.title, *paper.aliases]}

    def unique(names: list[str]) -> list[str]:
        return [n for n in names if claims[title_key(n)] == 1 and title_key(n) not in titles]

    for paper in papers:
        paper.nicknames, paper.names = unique(paper.nicknames), unique(paper.names)


def identity_keys(paper: Paper) -> set[str]:
    """Every key that names this paper; one of them surviving a merge keeps its history."""
    keys = {f"t:{title_key(alias)}" for alias in [paper.title, *paper.aliases]}
    if paper.arxiv_id:
        keys.add(f"arxiv:{paper.arxiv_id}")
    return keys


def _keys(mention: PaperMention) -> list[str]:
    keys = [f"t:{title_key(mention.title)}"]
    if short := short_name(mention.title):  # "PointNet++" is not "PointNet"
        keys.append(f"t:{title_key(short)}{'+' * short.count('+')}")
    if mention.url and (aid := arxiv_id(mention.url)):
        keys.append(f"arxiv:{aid}")
    return keys


def _find(mention: PaperMention, by_key: dict[str, Paper], papers: list[Paper]) -> Paper | None:
    for key in _keys(mention):
        paper = by_key.get(key)
        if paper is not None and _years_agree(paper, mention):
            return paper
    words = title_key(mention.title).split()
    for paper in papers:
        other = title_key(paper.title).split()
        shorter, longer = sorted((words, other), key=len)
        is_prefix = len(shorter) >= _MIN_PREFIX_WORDS and longer[: len(shorter)] == shorter
        if is_prefix and _years_agree(paper, mention):
            return paper
    return None


def _years_agree(paper: Paper, mention: PaperMention) -> bool:
    return paper.year is None or mention.year is None or abs(paper.year - mention.year) <= 1


def _merge(paper: Paper, mention: PaperMention) -> None:
    if len(mention.title) > len(paper.title):
        paper.title = mention.title
    if mention.url and (paper.url is None or (arxiv_id(mention.url) and not arxiv_id(paper.url))):
        paper.url = mention.url
    paper.venue = paper.venue or mention.venue
    paper.year = paper.year or mention.year
    paper.authors = paper.authors or mention.authors
    paper.tweet = paper.tweet or mention.tweet
    paper.summary = paper.summary or mention.summary
    paper.tags.extend(tag for tag in mention.tags if tag not in paper.tags)
    paper.nicknames.extend(n for n in mention.nicknames if n not in paper.nicknames)
    paper.names.extend(n for n in mention.names if n not in paper.names)
    if mention.ref not in paper.sources:
        paper.sources.append(mention.ref)
    if mention.title not in paper.aliases:
        paper.aliases.append(mention.title)


def _stable_key(paper: Paper) -> str:
    if paper.url and (aid := arxiv_id(paper.url)):
        return f"arxiv:{aid}"
    return title_key(paper.title).replace(" ", "-")


def paper_to_json(paper: Paper) -> dict[str, object]:
    return {
        "key": paper.key,
        "title": paper.title,
        "url": paper.url,
        "arxiv_id": paper.arxiv_id,
        "venue": paper.venue,
        "year": paper.year,
        "authors": paper.authors,
        "tags": paper.tags,
        "nicknames": list(dict.fromkeys([*paper.names, *paper.nicknames])),
        "tweet": paper.tweet,
        "summary": paper.summary,
        "first_seen": paper.first_seen,
        "sources": [
            {"source": ref.source, "heading": ref.heading, "line": ref.line}
            for ref in paper.sources
        ],
    }
