"""The evidence an answer is built from: the question's paper, passages and measurements."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.answering.focus import Focus
from bot.core.models import Chunk, Hit, Paper


@dataclass(slots=True)
class Evidence:
    question: str
    focus: Focus
    passages: list[Chunk]  # best first
    weights: dict[str, float]  # idf of the question's words
    quantity: bool
    named: list[Paper] = field(default_factory=list)
    follows: Paper | None = None  # the conversation's paper a follow-up keeps
    hits: list[Hit] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)
    unknown: set[str] = field(default_factory=set)  # names in the question the notes never use
    doc_freq: dict[str, int] = field(default_factory=dict)  # of the question's words
    total: int = 0  # passages in the index
    title: str | None = None  # what the focused passages are from: a paper, or a note
    asking: list[str] = field(default_factory=list)  # the words that ask, not that point
    closeness: dict[str, float] = field(default_factory=dict)  # sentence → cosine, for quoting
    question_closeness: dict[str, float] = field(default_factory=dict)  # the whole question's
    clause: str | None = None  # what ``closeness`` compared, when not the whole question

    def quoting_weights(self) -> dict[str, float]:
        """Sentences are chosen by the words that ask: inside one paper, its own words say
        nothing."""
        if self.focus.paper is None:
            return self.weights
        asking = set(self.asking)
        chosen = {t: w for t, w in self.weights.items() if t in asking}
        return chosen or self.weights
