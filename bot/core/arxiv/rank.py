"""Ranking a day's new arXiv papers against the library: how close each is to the notes.

Each note paper gets an English profile (its titles, tags, and the Latin-script terms of its
tweet and passages: the notes are Japanese, their technical terms English). A new paper's
title and abstract are compared with every profile twice: densely (MiniLM, good at English)
and lexically (BM25, normalized so scores compare across papers); the fusion of the two,
at the closest profile, is its score, and that profile's paper is the reason shown.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.core.arxiv.submissions import Proposal, Submission
from bot.core.models import Chunk, Paper
from bot.core.retrieval import NotesIndex
from bot.core.text import title_key

_LATIN_TERM = re.compile(r"[A-Za-z][A-Za-z0-9\-]+(?:[ \-][A-Z][A-Za-z0-9\-]+)*")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_TERMS = 40  # the most frequent terms of a paper's passages that enter its profile
# Words of the code, links and citations in notes: the notes carry them, papers are not about them.
_NOISE = frozenset(
    "view paper org abs pdf html http https www com github et al python def return returns "
    "args import self torch np none true false from class for in if else with print".split()
)


class Similarity(Protocol):
    """How close each query is to each doc, in [0, 1] (rows: queries, columns: docs)."""

    def matrix(self, queries: Sequence[str], docs: Sequence[str]) -> list[list[float]]: ...


@dataclass(frozen=True, slots=True)
class Profile:
    title: str
    text: str
    arxiv_id: str | None
    names: frozenset[str]  # title keys of every name it goes by


def profile(paper: Paper, passages: Iterable[Chunk]) -> Profile:
    """A note paper in English: names, tags (CamelCase split), and its notes' Latin terms."""
    tags = " ".join(_CAMEL.sub(" ", tag) for tag in paper.tags)
    found = [t for chunk in passages for t in _LATIN_TERM.findall(chunk.body)]
    found += _LATIN_TERM.findall(paper.tweet or "")
    counts = Counter(t for t in found if _meaningful(t))
    terms = " ".join(term for term, _ in counts.most_common(_TERMS))
    names = [paper.title, *paper.aliases]
    text = ". ".join(part for part in (" / ".join(dict.fromkeys(names)), tags, terms) if part)
    return Profile(paper.title, text, paper.arxiv_id, frozenset(title_key(n) for n in names))


@dataclass(frozen=True, slots=True)
class Ranker:
    """Fuses a dense and a lexical similarity (``weight``: the dense share), then scores each
    new paper by its ``neighbours`` closest note papers, after taking away each note paper's
    usual closeness to the day's listing (its mean over its ``hub_k`` closest papers)."""

    dense: Similarity
    lexical: Similarity
    weight: float = 0.5
    neighbours: int = 3
    hub_k: int = 10

    def rank(self, listing: Sequence[Submission], library: Sequence[Profile]) -> list[Proposal]:
        """The listing's papers not already in the notes, closest first."""
        fresh = [s for s in listing if not _known(s, library)]
        if not fresh or not library:
            return []
        texts = [f"{s.title}. {s.abstract}" if s.abstract else s.title for s in fresh]
        docs = [p.text for p in library]
        w = self.weight
        fused = [
            [w * d + (1 - w) * x for d, x in zip(d_row, x_row, strict=True)]
            for d_row, x_row in zip(self.dense.matrix(texts, docs),
                                    self.lexical.matrix(texts, docs), strict=True)
        ]
        # Hubness: a note paper close to everything today (a broad survey, an embedding
        # paper) says little about any one new paper, so its usual closeness is taken away.
        hubs = [_mean_top(column, self.hub_k) for column in zip(*fused, strict=True)]
        proposals = []
        for submission, row in zip(fresh, fused, strict=True):
            adjusted = [s - hub for s, hub in zip(row, hubs, strict=True)]
            best = sorted(range(len(adjusted)), key=adjusted.__getitem__, reverse=True)
            score = _mean_top(adjusted, self.neighbours)
            proposals.append(Proposal(submission, score, library[best[0]].title))
        proposals.sort(key=lambda p: (-p.score, p.submission.arxiv_id))
        return proposals


def _mean_top(values: Iterable[float], k: int) -> float:
    top = sorted(values, reverse=True)[:k]
    return sum(top) / len(top)


def _meaningful(term: str) -> bool:
    word = term.lower()
    return len(word) > 2 and word not in _NOISE and not word.startswith(("http", "arxiv"))


def _known(submission: Submission, library: Sequence[Profile]) -> bool:
    """Already in the notes: the same arXiv id, or the same title."""
    key = title_key(submission.title)
    return any(p.arxiv_id == submission.arxiv_id or key in p.names for p in library)


async def library(notes: NotesIndex) -> list[Profile]:
    """Every note paper's profile."""
    return [
        profile(paper, await notes.paper_passages(paper.aliases or [paper.title]))
        for paper in await notes.papers()
    ]
