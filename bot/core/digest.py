"""The daily paper digest for one target: new papers first, then resurfaced older ones.

Selection is pure and deterministic for a (target, period): recomputing it after a restart
gives the same digest, and different targets or days resurface different papers.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from bot.core.answers import Summary
from bot.core.arxiv.submissions import Proposal
from bot.core.models import Paper
from bot.core.retrieval import NotesIndex
from bot.core.summaries import Summarizer


@dataclass(frozen=True, slots=True)
class DigestItem:
    key: str
    summary: Summary
    new: bool


@dataclass(frozen=True, slots=True)
class Digest:
    target: str
    period: str  # the schedule's period, e.g. "2026-11-24"
    items: tuple[DigestItem, ...]
    arxiv: tuple[Proposal, ...] = ()  # the day's new papers closest to the notes

    @property
    def empty(self) -> bool:
        return not self.items and not self.arxiv

    def to_json(self) -> dict[str, object]:
        return {
            "target": self.target,
            "period": self.period,
            "items": [{**item.summary.to_json(), "new": item.new} for item in self.items],
            "arxiv": [proposal.to_json() for proposal in self.arxiv],
        }


def select_papers(
    papers: Sequence[Paper],
    *,
    since: str | None,
    recently_posted: Collection[str],
    size: int,
    seed: str,
) -> list[tuple[Paper, bool]]:
    """Up to ``size`` (paper, is_new): first seen after ``since`` (newest first), then a
    seeded shuffle of the rest; nothing posted to this target recently comes back."""
    eligible = [p for p in papers if p.key not in recently_posted]
    new = [p for p in eligible if p.first_seen and (since is None or p.first_seen > since)]
    new.sort(key=lambda p: (p.first_seen or "", p.title), reverse=True)
    picked = new[:size]
    chosen = {p.key for p in picked}
    older = sorted((p for p in eligible if p.key not in chosen), key=lambda p: p.key)
    random.Random(seed).shuffle(older)
    result = [(p, True) for p in picked]
    return result + [(p, False) for p in older[: size - len(picked)]]


class DigestMaker:
    def __init__(self, *, notes: NotesIndex, summarizer: Summarizer, size: int = 5) -> None:
        self._notes = notes
        self._summarizer = summarizer
        self._size = size

    async def make(
        self, target: str, period: str, *, since: str | None, recently_posted: Collection[str]
    ) -> Digest:
        papers = await self._notes.papers()
        chosen = select_papers(
            papers,
            since=since,
            recently_posted=recently_posted,
            size=self._size,
            seed=f"{target}|{period}",
        )
        items = [
            DigestItem(paper.key, await self._summarizer.summarize_paper(paper), is_new)
            for paper, is_new in chosen
        ]
        return Digest(target, period, tuple(items))
