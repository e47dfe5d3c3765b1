"""Which paper a question is about: named outright, established earlier, or agreed by the hits.

An answer about one paper should come from that paper only; other papers belong in it only
when the question is about several.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.core.answers import Turn
from bot.core.dates import dates_in, has_date
from bot.core.models import Chunk, Hit, Paper
from bot.core.phrases import phrase
from bot.core.text import arxiv_id, short_name, title_key

_NOT_FOUND = (phrase("not_found", "ja"), phrase("not_found", "en"))

_ASCII_RUN = re.compile(r"(?<=[a-z0-9])(?=[^a-z0-9 ])|(?<=[^a-z0-9 ])(?=[a-z0-9])")
_MIN_KEY = 4  # characters: shorter names ("MoC" aside) collide with ordinary words
_MIN_TERM = 4
_BARE_ID = re.compile(r"(?<![\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\d.])")
_WORD = re.compile(r"(?<![-A-Za-z0-9])[A-Za-z0-9]+(?![-A-Za-z0-9])")  # not part of "Sentence-BERT"
_COINED = re.compile(r"[a-z][A-Z]|[A-Za-z][0-9]|[0-9][A-Za-z]|^[A-Z]{2,}")
_AGREEMENT = 0.6  # share of the top hits' weight one paper must hold to be "the" paper
STANDS_OUT = 2.0  # fused z-score lead of the best hit's paper over any other: it is "the" paper
_TOP = 5
_SESSION_PHRASE = re.compile(
    r"([^、。,.!?！？\s]+?)\s*の?(?:セッション|回)|\b([\w ]+?) session", re.I
)
_SESSION = re.compile(r"セッション|の回|回で|回の|\bsession|\bmeeting", re.I)


def spaced_key(text: str) -> str:
    """title_key with Latin and Japanese runs apart ("diffusionの学習" → "diffusion の 学習")."""
    return f" {_ASCII_RUN.sub(' ', title_key(text))} "


def paper_names(paper: Paper) -> frozenset[str]:
    """Keys of every name the notes use for the paper: titles, their short names, nicknames."""
    titles = (paper.title, *paper.aliases, *paper.names)
    return _name_keys(titles, tuple(paper.nicknames))


# Every question checks every paper of the catalog (thousands with one note per paper):
# the keys of a paper's names are computed once, not per question.
@functools.lru_cache(maxsize=65_536)
def _name_keys(titles: tuple[str, ...], nicknames: tuple[str, ...]) -> frozenset[str]:
    names = set(titles) | {short for name in titles if (short := short_name(name))}
    keys = {title_key(name) for name in names | set(nicknames)}
    return frozenset(k for k in keys if len(k) >= _MIN_KEY or (len(k) >= 3 and k.isalpha()))


@functools.lru_cache(maxsize=65_536)
def _coined_words(titles: tuple[str, ...]) -> frozenset[str]:
    return frozenset(
        word.lower() for name in titles for word in _WORD.findall(name) if _COINED.search(word)
    )


def named_papers(text: str, papers: Sequence[Paper]) -> list[Paper]:
    """Papers the text names (arXiv id, a title or short name, or a word only one title has),
    in the order they are first named."""
    key = spaced_key(text)
    found: dict[str, tuple[int, Paper]] = {}
    bare = _BARE_ID.search(text)
    wanted_id = arxiv_id(text) or (bare.group(1) if bare else None)
    for paper in papers:
        if wanted_id and paper.arxiv_id == wanted_id:
            found[paper.key] = (text.find(wanted_id), paper)
            continue
        positions = [key.find(f" {name} ") for name in paper_names(paper)]
        if (hits := [p for p in positions if p >= 0]):
            found[paper.key] = (min(hits), paper)
    for term, owners in _distinctive_terms(key, papers).items():
        if len(owners) == 1 and owners[0].key not in found:
            found[owners[0].key] = (key.find(f" {term} "), owners[0])
    return [paper for _, paper in sorted(found.values(), key=lambda pair: pair[0])]


def nicknamed_only(text: str, paper: Paper) -> bool:
    """Named by a name its notes give it ("Chinchilla"), not by a title: the question may be
    about where that name comes up (a session's plans) rather than about the paper."""
    key = spaced_key(text)
    nicknames = {title_key(n) for n in paper.nicknames}
    titles = paper_names(paper) - nicknames
    return any(f" {n} " in key for n in nicknames) and not any(f" {n} " in key for n in titles)


def leads(hits: Sequence[Hit], paper: Paper) -> bool:
    """Is the best hit one of the paper's own passages?"""
    return bool(hits) and title_key(hits[0].chunk.paper or "") in paper_titles(paper)


def asks_about_session(question: str) -> bool:
    return bool(_SESSION.search(question))


def _distinctive_terms(key: str, papers: Sequence[Paper]) -> dict[str, list[Paper]]:
    """Latin words of the question that are coined names in some titles ("MatFormer", "STaSC",
    "NanoGPT", "GPT-4o"): ordinary words ("Attention", "Diffusion") name no paper."""
    terms = {w for w in key.split() if len(w) >= _MIN_TERM and w.isascii() and w.isalnum()}
    owners: dict[str, list[Paper]] = {}
    if not terms:
        return {}
    for paper in papers:
        for term in terms & _coined_words((paper.title, *paper.aliases)):
            owners.setdefault(term, []).append(paper)
    return owners


def unanswered(history: Sequence[Turn]) -> bool:
    """The last reply said the notes have nothing on it: the papers it listed as nearby are
    not what the conversation is about (asked again after the note is saved, say)."""
    reply = next((t.text for t in reversed(history) if t.role == "assistant"), "")
    return reply.lstrip().startswith(_NOT_FOUND)


def established_paper(history: Sequence[Turn], papers: Sequence[Paper]) -> Paper | None:
    """The paper the conversation was about: named by the last user turn, else the one paper
    the reply names (a reply quoting several papers' notes is about none of them alone)."""
    for role in ("user", "assistant"):
        turn = next((t for t in reversed(history) if t.role == role), None)
        named = named_papers(turn.text, papers) if turn else []
        if named and (role == "user" or len(named) == 1):
            return named[0]
    return None


@dataclass(frozen=True, slots=True)
class Focus:
    """Passages an answer may use: one paper's, or one note's when it has no paper."""

    paper: Paper | None = None
    source: str | None = None
    alone: bool = False  # its best passage stood out, no other agreed: weak for "not found"

    @property
    def is_open(self) -> bool:
        return self.paper is None and self.source is None


def paper_titles(paper: Paper) -> set[str]:
    return {title_key(name) for name in (paper.title, *paper.aliases)}


def paper_titled(title: str, papers: Sequence[Paper]) -> Paper | None:
    """The catalog paper a passage's paper title belongs to (any of its titles)."""
    key = title_key(title)
    return next((p for p in papers if key in paper_titles(p)), None)


def agreed(hits: Sequence[Hit], papers: Sequence[Paper], *, described: bool = False) -> Focus:
    """The paper (or note) most of the top hits come from, if the best hit is one of them; or,
    for a question that describes its paper (``described``), the best hit's alone when it
    outscores every other paper's by far (a note of one paper is a few passages among
    thousands: its best one may stand alone in the top five)."""
    top = list(hits[:_TOP])
    if not top:
        return Focus()
    votes: defaultdict[str, float] = defaultdict(float)
    for hit in top:
        votes[_owner(hit.chunk)] += 1.0 / hit.rank
    owner, weight = max(votes.items(), key=lambda item: item[1])
    agree = owner == _owner(top[0].chunk) and weight >= _AGREEMENT * sum(votes.values())
    if not agree and not (described and _stands_out(top)):
        return Focus()
    chunk = top[0].chunk
    if chunk.paper and (paper := paper_titled(chunk.paper, papers)) is not None:
        return Focus(paper=paper, alone=not agree)
    return Focus(source=chunk.source, alone=not agree)


def choose_focus(
    named: Sequence[Paper],
    follows: Paper | None,
    hits: Sequence[Hit],
    papers: Sequence[Paper],
    *,
    described: bool = False,
) -> Focus:
    """The one paper the question names, else the conversation's, else the hits' (none for a
    question about several papers)."""
    if len(named) == 1:
        return Focus(paper=named[0])
    if follows is not None:
        return Focus(paper=follows)
    if len(named) > 1:
        return Focus()
    return agreed(hits, papers, described=described)


def _stands_out(top: Sequence[Hit]) -> bool:
    owner = _owner(top[0].chunk)
    others = [hit.score for hit in top if _owner(hit.chunk) != owner]
    return bool(others) and top[0].score - max(others) >= STANDS_OUT


def session_focus(
    question: str, hits: Sequence[Hit], titles: Mapping[str, str]
) -> Focus:
    """A question about one session: by its date in the note's title ("6/30 の回"), or, when
    it says "セッション" / "回" / "session", the note most of the top hits come from."""
    dates = dates_in(question)
    if dates:
        dated = [src for src, title in titles.items() if any(has_date(title, d) for d in dates)]
        if len(dated) == 1:
            return Focus(source=dated[0])
    if not _SESSION.search(question) or not hits:
        return Focus()
    votes: defaultdict[str, float] = defaultdict(float)
    for hit in hits[:_TOP]:
        votes[hit.chunk.source] += 1.0 / hit.rank
    source, weight = max(votes.items(), key=lambda item: item[1])
    return Focus(source=source) if weight >= _AGREEMENT * sum(votes.values()) else Focus()


def session_phrase(question: str) -> str:
    """The words naming the session ("多言語・LoRA・トークナイザ" in "…のセッションで出た論文")."""
    match = _SESSION_PHRASE.search(question)
    return (match.group(1) or match.group(2) or "") if match else ""


def _owner(chunk: Chunk) -> str:
    return f"p:{title_key(chunk.paper)}" if chunk.paper else f"s:{chunk.source}"
