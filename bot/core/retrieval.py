"""What answering needs from the index, and merging the hits of several phrasings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from bot.core.answering.sections import RoleModel
from bot.core.models import Chunk, Hit, Paper

_RRF_K = 60  # the usual reciprocal-rank constant: rank matters, the list's raw scale does not


class NotesIndex(Protocol):
    """The read side of the notes index, safe to call from the bots' event loop."""

    async def search(self, query: str, k: int) -> list[Hit]: ...

    async def papers(self) -> list[Paper]: ...

    async def paper_passages(self, titles: Sequence[str]) -> list[Chunk]: ...

    async def passages_of(self, titles: Sequence[str]) -> list[tuple[Chunk, list[str]]]:
        """A paper's passages (under any of its titles) with their search tokens."""
        ...

    async def note_passages(self, source: str) -> list[tuple[Chunk, list[str]]]: ...

    async def glossary(self) -> dict[str, str]:
        """English term → Japanese term, as the notes pair them (bot.core.answering.glossary)."""
        ...

    async def note_titles(self) -> dict[str, str]:
        """Each note's title (session notes carry their date or topic there)."""
        ...

    async def doc_freqs(self, tokens: Sequence[str]) -> tuple[dict[str, int], int]:
        """How many passages use each token, and how many passages there are."""
        ...

    async def role_model(self) -> RoleModel:
        """Which words each section role uses (see bot.core.answering.sections)."""
        ...

    async def closeness(self, question: str, texts: Sequence[str]) -> list[float]:
        """Cosine similarity of the question to each text (passages, section titles,
        sentences) in the embedder's space; [] when the index has no usable vectors."""
        ...

    async def neighbours(self, question: str, n: int) -> list[float]:
        """Cosines of the ``n`` sentences of the whole index closest to the question, closest
        first; [] when the index has no usable vectors."""
        ...


def merge_hits(lists: Sequence[Sequence[Hit]], k: int) -> list[Hit]:
    """One ranking from several queries' hits (reciprocal rank), best relevance kept per chunk."""
    if len(lists) == 1:
        return list(lists[0][:k])
    scores: dict[str, float] = {}
    best: dict[str, Hit] = {}
    for hits in lists:
        for hit in hits:
            cid = hit.chunk.id
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (_RRF_K + hit.rank)
            if cid not in best or hit.relevance > best[cid].relevance:
                best[cid] = hit
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)[:k]
    return [replace(best[cid], rank=i + 1, score=scores[cid]) for i, cid in enumerate(ranked)]
