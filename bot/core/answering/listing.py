"""Questions asking for every paper on a topic, tag, venue or session: a counted list.

A list comes from the catalog, not from three search excerpts: each paper's profile (titles,
tags, venue, year, summary, tweet, and the headings of the notes that mention it) is matched
against the topic words of the question; dates ("6/30", "6月30日", "June 30") match the
session headings that carry them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.core.answering.relevance import idf
from bot.core.answers import Citation, Lang
from bot.core.dates import DATE, dates_in, has_date
from bot.core.models import Paper
from bot.core.shorten import shorten
from bot.core.text import title_key

Tokenize = Callable[[str], list[str]]
LIST_QUESTION = re.compile(
    r"全部|全て|すべて|一覧|列挙|挙げ|リスト[にのア]|どんな論文|どの論文|何本|いくつの論文|系の論文"
    r"|どれとどれ|(?:の中|うち)(?:で|から)?.{0,30}どれ"
    r"|\b(?:list|all|every)\b.*\bpapers?\b|\bwhich (?:papers|ones)\b|\bpapers\b.*\b(?:all|list)\b",
    re.I,
)
# Words that ask for a list rather than name its topic.
_LIST_WORDS = frozenset(
    "全部 全て 総て すべて 一覧 列挙 挙げる リスト アップ 論文 ペーパー 紙 メモ ノート 出る 有る "
    "話 奴 系 関連 関係 中 物 事 本 件 篇 うち くれる ちょうだい 頂戴 "
    "list all every papers paper noted my notes note".split()
)
_COUNT = re.compile(r"^\d{1,3}$")  # "18本のうち": a count, not a topic (a year has 4 digits)
_INFLECTING = re.compile(r"[\u3041-\u3093]$")
_ASCII = re.compile(r"[a-z]+")
_TITLE_HAS = re.compile(
    r"タイトルに\s*[「『\"]?([^」』\"、。]+?)[」』\"]?\s*(?:って|が|と|を)?\s*(?:入|含|つ)"
    r"|titles?\s+(?:with|containing|that contain)\s+[\"']?([\w-]+)",
    re.I,
)
PASSAGE_DISCOUNT = 0.8  # a passage matching the topic counts a little less than the profile
MIN_MATCH = 0.25  # share of the topic's (weighted) words a paper's profile must contain
NEAR_BEST = 0.55  # ... and at least this share of the best paper's
_GIST = 70


@dataclass(frozen=True, slots=True)
class Scope:
    """A session note a list question is about, and the words that describe it."""

    source: str
    words: frozenset[str]


@dataclass(frozen=True, slots=True)
class Listed:
    paper: Paper
    score: float


def is_list_question(question: str) -> bool:
    return bool(LIST_QUESTION.search(question))


def topic_tokens(question: str, tokenize: Tokenize) -> list[str]:
    """Nouns and names of the question: list words, and verbs and adjectives (their dictionary
    forms end in kana: 出る, 挙げる, 良い) name no topic."""
    return [
        t
        for t in tokenize(DATE.sub(" ", question))
        if t not in _LIST_WORDS and not _INFLECTING.search(t) and not _COUNT.match(t)
    ]


def profile(paper: Paper) -> str:
    fields = [paper.title, *paper.aliases, *paper.names, *paper.nicknames, *paper.tags]
    fields.append(paper.venue or "")
    fields.append(str(paper.year or ""))
    fields += [paper.summary or "", paper.tweet or ""]
    fields += [ref.heading for ref in paper.sources]
    return "\n".join(fields)


def list_papers(
    question: str,
    papers: Sequence[Paper],
    *,
    tokenize: Tokenize,
    passages: Sequence[tuple[str, Sequence[str]]] = (),
    scope: Scope | None = None,
    english: Callable[[str], str] = lambda word: "",
) -> list[Listed]:
    """Papers matching the question's topic, venue and dates, best first.

    The papers' profiles are the corpus here: a question word no profile uses ("挙げて") is
    no topic, and a word in every profile ("論文") weighs nothing. ``passages``: (paper title,
    tokens) of passages search found, so "papers that trained on A100s" can match a paper
    whose profile says nothing of GPUs. ``scope``: the session note the question is about;
    its papers only, and the words describing that session are no topic.
    """
    profiles = {paper.key: set(tokenize(profile(paper))) for paper in papers}
    df, total = Counter(t for tokens in profiles.values() for t in tokens), len(papers)
    venues = _venues_named(question, papers)
    in_title = title_words(question)
    if in_title:
        papers = [p for p in papers if all(w in p.title.lower() for w in in_title)]
        question = _TITLE_HAS.sub(" ", question)
    topic = [t for t in topic_tokens(question, tokenize) if t not in venues]
    if scope is not None:
        topic = [t for t in topic if t not in scope.words]
        papers = [p for p in papers if any(ref.source == scope.source for ref in p.sources)]
    # Each topic word, or the English the (English) titles use for it: トークナイザ ~ tokenizer.
    groups = [_group(t, tokenize, english) for t in topic]
    groups = [g for g in groups if any(df[m] for m in g)]
    dates = dates_in(question)
    if not groups and not dates and not venues and scope is None and not in_title:
        return []
    by_title = _passage_tokens(passages, papers)
    weight = lambda t: idf(df[t], total) if df[t] else 0.0  # noqa: E731
    found = []
    for paper in papers:
        tokens = profiles[paper.key]
        if dates and not any(has_date(profile(paper), d) for d in dates):
            continue
        if venues and not venues & set(title_key(paper.venue or "").split()):
            continue
        score = _covered(groups, tokens, weight) if groups else 1.0
        for passage in by_title.get(paper.key, ()):
            score = max(score, PASSAGE_DISCOUNT * _covered(groups, set(passage), weight))
        if score >= MIN_MATCH:
            found.append(Listed(paper, score))
    best = max((item.score for item in found), default=0.0)
    found = [item for item in found if item.score >= NEAR_BEST * best]
    return sorted(found, key=lambda item: (-item.score, item.paper.title.lower()))


def title_words(question: str) -> list[str]:
    """Words the question wants in the titles ("タイトルに Diffusion って入ってる")."""
    match = _TITLE_HAS.search(question)
    found = (match and (match.group(1) or match.group(2))) or ""
    return [w.lower() for w in re.findall(r"[A-Za-z0-9][\w-]*", found)]


def _group(word: str, tokenize: Tokenize, english: Callable[[str], str]) -> frozenset[str]:
    return frozenset([word, *tokenize(english(word))])


def _covered(
    groups: Sequence[frozenset[str]], tokens: set[str], weight: Callable[[str], float]
) -> float:
    """Weighted share of the topic's word groups with a member among ``tokens``."""
    weights = [max(weight(m) for m in group) for group in groups]
    found = sum(w for group, w in zip(groups, weights, strict=True) if group & tokens)
    return found / sum(weights) if sum(weights) > 0 else 0.0


def _venues_named(question: str, papers: Sequence[Paper]) -> set[str]:
    """Venue names ("ICLR", "ACL", "arXiv") the question uses, as the catalog writes them."""
    words = set(title_key(question).split()) | set(_ASCII.findall(question.lower()))
    known = {w for p in papers if p.venue for w in title_key(p.venue).split() if w.isalpha()}
    return words & known


def _passage_tokens(
    passages: Sequence[tuple[str, Sequence[str]]], papers: Sequence[Paper]
) -> dict[str, list[Sequence[str]]]:
    keys = {title_key(name): p.key for p in papers for name in (p.title, *p.aliases)}
    found: dict[str, list[Sequence[str]]] = {}
    for title, tokens in passages:
        if (key := keys.get(title_key(title))) is not None:
            found.setdefault(key, []).append(tokens)
    return found


def render_list(items: Sequence[Listed], lang: Lang) -> tuple[str, tuple[Citation, ...]]:
    head = (
        f"ノートにある該当論文は {len(items)} 件です（関連の強い順）:"
        if lang == "ja"
        else f"Your notes have {len(items)} matching papers (most relevant first):"
    )
    lines, citations = [head], []
    for n, item in enumerate(items, 1):
        paper = item.paper
        ref = paper.sources[0]
        citations.append(
            Citation(n, ref.source, ref.heading, paper.title, paper.url, ref.line, ref.line)
        )
        where = " ".join(str(p) for p in (paper.venue, paper.year) if p)
        gist = shorten(paper.summary or paper.tweet or "", _GIST)
        line = f"{n}. **{paper.title}**" + (f" ({where})" if where else "")
        line += (f" — {gist}" if gist else "") + f" [{n}]"
        lines.append(line + (f"\n   {paper.url}" if paper.url else ""))
    return "\n".join(lines), tuple(citations)
