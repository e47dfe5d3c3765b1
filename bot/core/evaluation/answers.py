"""Judge answers as a user reads them: does the answer state the fact and cite the right note?

A case's ``keys`` are what a right answer must state; each key may offer alternatives
("A100|H100"). Verdicts for answerable cases: right (cites the note and states every key),
right note but wrong fact, a false "not found", or wrong (cites other notes only). For
``source: null`` cases: refused (right) or a false answer.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import median
from typing import Literal

from bot.core.answers import Answer
from bot.core.evaluation.retrieval import EvalCase

Verdict = Literal["right", "wrong_fact", "false_not_found", "wrong", "refused", "false_answer"]
VERDICTS: tuple[Verdict, ...] = (
    "right", "wrong_fact", "false_not_found", "wrong", "refused", "false_answer"
)


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return " ".join(text.replace("**", "").replace("`", "").split())


def states(text: str, key: str) -> bool:
    """Does ``text`` state ``key`` (any of its "|" alternatives), ignoring case and markup?"""
    haystack = _norm(text)
    return any(_norm(alt) in haystack for alt in key.split("|") if alt.strip())


def judge(case: EvalCase, answer: Answer) -> Verdict:
    if case.source is None:
        return "false_answer" if answer.found else "refused"
    if not answer.found:
        return "false_not_found"
    if case.source not in {c.source for c in answer.citations}:
        return "wrong"
    cited = " ".join(c.paper or "" for c in answer.citations)
    text = f"{answer.text}\n{cited}"
    return "right" if all(states(text, key) for key in case.keys) else "wrong_fact"


@dataclass(slots=True)
class AnswerReport:
    """Verdict counts per kind, passage recall of the ranking the answers were built from."""

    by_kind: dict[str, Counter[str]] = field(default_factory=dict)
    passage_ranks: list[int | None] = field(default_factory=list)
    in_context: list[bool] = field(default_factory=list)  # keys all in what a model reads
    budget: int | None = None  # tokens of passages of ``in_context``: the model's
    at_budget: dict[int, list[bool]] = field(default_factory=dict)  # the same, per budget
    prompt_tokens: dict[int, list[int]] = field(default_factory=dict)  # whole prompt, estimated

    def add(
        self,
        case: EvalCase,
        verdict: Verdict,
        passage_rank: int | None,
        context: str | None = None,
    ) -> None:
        """``context``: what a model would read for the question (its keys should be there)."""
        self.by_kind.setdefault(case.kind, Counter())[verdict] += 1
        if case.answerable and case.kind != "list":
            self.passage_ranks.append(passage_rank)
            if context is not None:
                self.in_context.append(all(states(context, key) for key in case.keys))

    def add_context(self, case: EvalCase, budget: int, context: str, prompt_tokens: int) -> None:
        """What a model would read at ``budget`` tokens of passages, and its whole prompt."""
        if case.answerable and case.kind != "list":
            self.at_budget.setdefault(budget, []).append(all(states(context, k) for k in case.keys))
            self.prompt_tokens.setdefault(budget, []).append(prompt_tokens)

    def context_recall(self) -> float:
        """Share of answerable questions whose every key survives into the model's context."""
        return sum(self.in_context) / max(1, len(self.in_context))

    def budgets(self) -> dict[int, dict[str, float]]:
        """Per budget: context recall and the median whole prompt, in estimated tokens."""
        return {
            budget: {
                "context_recall": round(sum(kept) / max(1, len(kept)), 4),
                "prompt_tokens_p50": float(median(self.prompt_tokens[budget] or [0])),
            }
            for budget, kept in sorted(self.at_budget.items())
        }

    def right_rate(self, kind: str | None = None) -> float:
        counts = self._counts(kind)
        answerable = sum(counts[v] for v in VERDICTS[:4])
        refusable = counts["refused"] + counts["false_answer"]
        return (counts["right"] + counts["refused"]) / max(1, answerable + refusable)

    def refusal_rates(self) -> tuple[float, float]:
        """(off-topic questions refused, answerable questions falsely refused)."""
        counts = self._counts(None)
        offtopic = counts["refused"] + counts["false_answer"]
        answerable = sum(counts[v] for v in VERDICTS[:4])
        return (
            counts["refused"] / max(1, offtopic),
            counts["false_not_found"] / max(1, answerable),
        )

    def passage_recall(self, cutoff: int) -> float:
        ranks = self.passage_ranks
        return sum(1 for r in ranks if r is not None and r <= cutoff) / max(1, len(ranks))

    def _counts(self, kind: str | None) -> Counter[str]:
        if kind is not None:
            return self.by_kind.get(kind, Counter())
        total: Counter[str] = Counter()
        for counts in self.by_kind.values():
            total.update(counts)
        return total

    def to_json(self) -> dict[str, object]:
        refused, false_refusals = self.refusal_rates()
        return {
            "right": round(self.right_rate(), 4),
            "offtopic_refused": round(refused, 4),
            "false_refusals": round(false_refusals, 4),
            "passage_R@1": round(self.passage_recall(1), 4),
            "passage_R@5": round(self.passage_recall(5), 4),
            "context_recall": round(self.context_recall(), 4),
            "context_budget": self.budget,
            "context_by_budget": self.budgets(),
            "kinds": {
                kind: {**dict(counts), "right_rate": round(self.right_rate(kind), 4)}
                for kind, counts in sorted(self.by_kind.items())
            },
        }

    def table(self) -> list[str]:
        """The confusion table: one row per kind, one column per verdict."""
        head = f"{'kind':<14}" + "".join(f"{v:>16}" for v in VERDICTS) + f"{'right%':>8}"
        rows = [head]
        for kind in [*sorted(self.by_kind), None]:
            counts = self._counts(kind)
            cells = "".join(f"{counts[v]:>16}" for v in VERDICTS)
            rows.append(f"{kind or 'all':<14}{cells}{100 * self.right_rate(kind):>7.0f}%")
        return rows


def select(cases: Sequence[EvalCase], split: str) -> list[EvalCase]:
    """The cases of one split ("dev", "test"), or all of them ("all")."""
    return list(cases) if split == "all" else [c for c in cases if c.split == split]
