"""The user's own retrieval eval: JSONL questions in, R@1 / R@5 / MRR and refusals out.

Each line: ``{"q": question, "source": note path or null, "keys": [strings]}``. A hit is a
passage from ``source`` containing one of ``keys`` (any passage of it when ``keys`` is empty).
``source: null`` marks a question the notes cannot answer: the bot should say so.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bot.core.answers import Turn
from bot.core.models import Hit

CUTOFFS = (1, 5)


class EvalFileError(ValueError):
    """A line of the eval file is not a valid case; the message names the line."""


@dataclass(frozen=True, slots=True)
class EvalCase:
    q: str
    source: str | None
    keys: tuple[str, ...] = ()
    kind: str = "fact"  # fact, paraphrase, crosslingual, which_paper, list, session, ...
    split: str = "test"  # "dev" rows tune; "test" rows report
    history: tuple[Turn, ...] = ()  # the conversation before a follow-up
    id: str = ""

    @property
    def answerable(self) -> bool:
        return self.source is not None


@dataclass(slots=True)
class EvalReport:
    answerable: int = 0
    unanswerable: int = 0
    recall: dict[int, float] = field(default_factory=dict)
    mrr: float = 0.0
    threshold: float = 0.0
    kept: int = 0  # answerable questions whose gold passage passes the threshold
    refused: int = 0  # unanswerable questions with no passage passing it
    sweep: list[tuple[float, int, int]] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "answerable": self.answerable,
            "unanswerable": self.unanswerable,
            **{f"R@{k}": round(v, 4) for k, v in self.recall.items()},
            "MRR": round(self.mrr, 4),
            "threshold": self.threshold,
            "answerable_kept": self.kept,
            "unanswerable_refused": self.refused,
        }


def load_cases(lines: Iterable[str]) -> list[EvalCase]:
    cases = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            data = json.loads(line)
            question = str(data["q"]).strip()
            source = data.get("source")
            keys = tuple(str(k) for k in data.get("keys") or ())
            history = tuple(_turn(t) for t in data.get("history") or ())
            extra = {f: str(data[f]) for f in ("kind", "split", "id") if data.get(f)}
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise EvalFileError(f"line {number}: {exc.__class__.__name__}: {exc}") from exc
        if not question:
            raise EvalFileError(f"line {number}: empty question")
        cases.append(EvalCase(question, source, keys, history=history, **extra))
    return cases


def _turn(data: dict[str, str]) -> Turn:
    role = data["role"]
    if role == "user":
        return Turn("user", str(data["text"]))
    if role == "assistant":
        return Turn("assistant", str(data["text"]))
    raise ValueError(f"history role must be user or assistant, not {role!r}")


def is_hit(case: EvalCase, hit: Hit) -> bool:
    if case.source is None or hit.chunk.source != case.source:
        return False
    text = f"{hit.chunk.paper or ''}\n{hit.chunk.text}".lower()
    return not case.keys or any(key.lower() in text for key in case.keys)


def first_hit(case: EvalCase, hits: Sequence[Hit]) -> int | None:
    """1-based rank of the first gold passage, or None."""
    return next((i for i, hit in enumerate(hits, 1) if is_hit(case, hit)), None)


def evaluate(
    cases: Sequence[EvalCase], results: Sequence[Sequence[Hit]], threshold: float
) -> EvalReport:
    report = EvalReport(threshold=threshold)
    gold_relevance: list[float] = []  # answerable: relevance of the gold passage (0 if missed)
    best_relevance: list[float] = []  # unanswerable: best relevance among the hits
    reciprocal = 0.0
    found = dict.fromkeys(CUTOFFS, 0)
    for case, hits in zip(cases, results, strict=True):
        if not case.answerable:
            best_relevance.append(max((h.relevance for h in hits), default=0.0))
            continue
        rank = first_hit(case, hits)
        reciprocal += 1.0 / rank if rank else 0.0
        for cutoff in CUTOFFS:
            found[cutoff] += bool(rank and rank <= cutoff)
        gold_relevance.append(hits[rank - 1].relevance if rank else 0.0)
    report.answerable, report.unanswerable = len(gold_relevance), len(best_relevance)
    total = max(1, report.answerable)
    report.recall = {cutoff: found[cutoff] / total for cutoff in CUTOFFS}
    report.mrr = reciprocal / total
    report.kept, report.refused = _split(gold_relevance, best_relevance, threshold)
    report.sweep = [
        (t, *_split(gold_relevance, best_relevance, t)) for t in (i / 20 for i in range(1, 16))
    ]
    return report


def _split(gold: list[float], unanswerable: list[float], threshold: float) -> tuple[int, int]:
    kept = sum(1 for value in gold if value >= threshold)
    refused = sum(1 for value in unanswerable if value < threshold)
    return kept, refused
