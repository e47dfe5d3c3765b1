"""Which sentence of a passage answers the question: a linear score over described features.

Every quotable unit of a passage is described by features any question–sentence pair has:
the question's words it shares (weighted by rarity, and their share), its closeness in
meaning to the question and its neighbours' (the answer is often next to what matches), what
the question asks for against what the sentence gives (a number with its unit, a date, a
name...), its section's role, its place in the passage and its length. The weights ship
beside this module as answer_sentences.json, read once per process.

Which weights ship is measured, not assumed (bench/fit_answer_sentences.py; docs/benchmarks.md,
issue 31): a conditional logit fitted on JSQuAD wins there (the answering sentence first 0.878
vs 0.867) but loses on questions about notes, and so do fits on the notes' dev questions once
checked on held-out ones. The shipped weights are the dev-tuned ones (the question's words,
5 × closeness, a number or a name, the passage's rank) until a fit beats them on both.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from bot.core.answering.answer_types import (
    ASKS,
    Asks,
    asked_thing,
    asks_for,
    bigrams,
    gives,
    refers_back,
)
from bot.core.roles import question_role

Tokenize = Callable[[str], list[str]]
WEIGHTS_FILE = Path(__file__).with_name("answer_sentences.json")
FEATURES: tuple[str, ...] = (
    "words", "coverage", "words_gap", "words_prev", "words_next",
    "dense", "dense_gap", "dense_prev", "dense_next",
    "first", "position", "length", "digit", "name", "novelty", "refers_back", "thing", "bigrams",
    "role_asked", "role_background", "role_summary",
    *(f"match_{kind}" for kind in ASKS),
)
_DIGIT = re.compile(r"\d")
_NAME = re.compile(r"[A-Za-z][a-z0-9]*[A-Z0-9-][A-Za-z0-9-]*|[A-Z]{2,}")  # Qwen2, GPT-4, RAG
_BACKGROUND = ("problem", "novelty")  # what came before the paper: rarely what is asked
_SUMMARY = ("summary", "tweet")


@dataclass(frozen=True, slots=True)
class SentenceScorer:
    """A linear score over FEATURES (in the order of FEATURES)."""

    weights: tuple[float, ...]
    intercept: float = 0.0
    rank_prior: float = 0.0  # ÷ a passage's rank, where sentences of several compete

    def score(self, row: Sequence[float]) -> float:
        return self.intercept + sum(w * x for w, x in zip(self.weights, row, strict=True))

    @classmethod
    def from_file(cls, path: Path) -> SentenceScorer:
        """The scorer a fit wrote; an error naming the file if it is missing or was fitted on
        other features (the features changed since: run bench/fit_answer_sentences.py)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RuntimeError(f"answer-sentence weights unreadable: {path}: {exc}") from exc
        named = data.get("weights", {})
        if tuple(data.get("features", ())) != FEATURES or set(named) != set(FEATURES):
            raise RuntimeError(f"answer-sentence weights in {path} are stale: refit them")
        weights = tuple(float(named[name]) for name in FEATURES)
        return cls(weights, float(data["intercept"]), float(data["rank_prior"]))

    def named(self) -> dict[str, float]:
        return dict(zip(FEATURES, self.weights, strict=True))


@functools.cache
def packaged_scorer() -> SentenceScorer:
    """The shipped weights, read once per process."""
    return SentenceScorer.from_file(WEIGHTS_FILE)


@dataclass(slots=True)
class Asked:
    """The question as sentence scoring reads it: its words' weights (rarer words weigh
    more), its closeness to the notes' sentences, and what kind of answer it wants."""

    question: str
    wanted: Mapping[str, float]
    tokenize: Tokenize
    closeness: Mapping[str, float] = field(default_factory=dict)
    scorer: SentenceScorer = field(default_factory=packaged_scorer)
    asks: frozenset[Asks] = field(init=False)
    role: str | None = field(init=False)  # the section role its grammar asks for
    thing: set[str] = field(init=False)  # the last word before the interrogative
    pairs: set[str] = field(init=False)

    def __post_init__(self) -> None:
        self.asks = asks_for(self.question)
        self.role = question_role(self.question)
        self.thing = set(self.tokenize(asked_thing(self.question))[-1:])
        self.pairs = bigrams(self.question)


class Quotable(Protocol):
    """One unit a passage may quote: what is shown, and the words it is matched on."""

    @property
    def text(self) -> str: ...

    @property
    def words(self) -> str: ...


def unit_scores(
    asked: Asked, units: Sequence[Quotable], sentences: Sequence[str], role: str | None = None
) -> list[float]:
    """The score of each unit of one passage (``sentences``: the passage's
    sentences, whose closeness the units take; ``role``: its section's role)."""
    rows = unit_features(asked, units, sentences, role)
    return [asked.scorer.score(row) for row in rows]


def unit_features(
    asked: Asked, units: Sequence[Quotable], sentences: Sequence[str], role: str | None = None
) -> list[list[float]]:
    """FEATURES of each unit, in the passage's order."""
    known = {s: asked.closeness[s] for s in sentences if s in asked.closeness}
    floor = min(known.values(), default=0.0)  # a unit of no known sentence (a table's roll)
    dense = [max((c for s, c in known.items() if s in u.words), default=floor) for u in units]
    tokens = [set(asked.tokenize(u.words)) for u in units]
    matched = [_word_match(asked, t) for t in tokens]
    words = [m[0] for m in matched]
    best_words, best_dense = max(words, default=0.0), max(dense, default=0.0)
    last = max(len(units) - 1, 1)
    roles = [float(role is not None and role == asked.role),
             float(role in _BACKGROUND and role != asked.role),
             float(role in _SUMMARY and role != asked.role)]
    rows = []
    for i, unit in enumerate(units):
        given = gives(unit.text, asked.question, asked.asks)  # only what is asked counts
        rows.append([
            words[i], matched[i][1], words[i] - best_words,
            words[i - 1] if i else 0.0, words[i + 1] if i < len(units) - 1 else 0.0,
            dense[i], dense[i] - best_dense,
            dense[i - 1] if i else floor, dense[i + 1] if i < len(units) - 1 else floor,
            float(i == 0), i / last, math.log1p(len(unit.text)),
            float(bool(_DIGIT.search(unit.text))), float(bool(_NAME.search(unit.text))),
            matched[i][2], float(refers_back(unit.text)),
            float(bool(asked.thing & tokens[i])),
            len(asked.pairs & bigrams(unit.words)) / max(len(asked.pairs), 1), *roles,
            *(float(kind in given) for kind in ASKS),
        ])
    return rows


def _word_match(asked: Asked, tokens: set[str]) -> tuple[float, float, float]:
    """(weighted share of the question's words a unit has, unweighted share, share of the
    unit's words the question lacks: what the sentence adds)."""
    wanted = asked.wanted
    total = sum(wanted.values()) or 1.0
    shared = [t for t in tokens if t in wanted]
    weighted = sum(wanted[t] for t in shared) / total
    share = len(shared) / max(len(wanted), 1)
    novelty = (len(tokens) - len(shared)) / max(len(tokens), 1)
    return weighted, share, novelty
