"""Which section of a note answers which kind of question, learned from the notes themselves.

Deep dives follow one template (problem, approach, results, limitations, technical details,
cost/physical details, references, tweet); session notes repeat theirs (papers, ideas, next
steps). A passage's *role* is its top section under the note's title, numbering dropped, so
"6. コストや物理的な詳細について" and "6. コストや物理的な詳細について。例えば…" are one role.

The role model counts, over every passage of the index, which roles use which words (their
headings included): "GPU", "枚" and "時間" live in the cost section, "課題" in limitations.
A question's words then say which roles it is about, with no hand-made list of question words.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from bot.core.text import title_key

_NUMBERING = re.compile(r"^\s*(?:[0-9０-９]+(?:[.．][0-9０-９]+)*[.．、)）]?|[IVX]+\.)\s*")
_ROLE_CHARS = 10  # enough to tell "コストや物理的な詳細" from "技術的な詳細について"
_PRIOR_MASS = 20.0  # Dirichlet smoothing, in passages: rare words lean to the overall rate
_CONFIDENT = 5.0
_MIN_ROLE_PASSAGES = 10  # a role seen in fewer passages says nothing general

RoleCounts = Mapping[str, Counter[str]]


def role_of(heading: str) -> str:
    """The passage's top section under the note title ("" for text right under the title)."""
    parts = [part.strip() for part in heading.split(" > ")]
    if len(parts) < 2:
        return ""
    key = title_key(_NUMBERING.sub("", parts[1]))
    return key.replace(" ", "")[:_ROLE_CHARS]


def count_roles(samples: Iterable[tuple[str, Iterable[str]]]) -> dict[str, Counter[str]]:
    """Per role: in how many passages each word occurs, and (under "") how many passages."""
    counts: dict[str, Counter[str]] = {}
    for heading, tokens in samples:
        role = role_of(heading)
        if not role:
            continue
        role_counts = counts.setdefault(role, Counter())
        role_counts.update(set(tokens))
        role_counts[""] += 1
    return {role: c for role, c in counts.items() if c[""] >= _MIN_ROLE_PASSAGES}


class RoleModel:
    """How much more often a word occurs in each role's passages than in passages overall."""

    def __init__(self, counts: RoleCounts) -> None:
        self._counts = counts
        self._totals: Counter[str] = Counter()
        for role_counts in counts.values():
            self._totals.update(role_counts)

    @property
    def roles(self) -> list[str]:
        return sorted(self._counts)

    def affinity(self, tokens: Iterable[str], weight: Callable[[str], float]) -> dict[str, float]:
        """Per role: the weighted mean log-lift of the question's words, centred on 0 across
        roles (a word as common everywhere says nothing). Sizes cancel out: the largest
        section does not win by volume."""
        roles = self.roles
        total = self._totals[""]
        if len(roles) < 2 or not total:
            return {}
        scores = dict.fromkeys(roles, 0.0)
        total_weight = 0.0
        for token in set(tokens):
            seen = self._totals.get(token, 0)
            if not seen or not token:
                continue
            w = weight(token) * seen / (seen + _CONFIDENT)  # a word seen twice says little
            total_weight += w
            overall = seen / total
            lifts = {
                role: math.log(
                    (self._counts[role].get(token, 0) + _PRIOR_MASS * overall)
                    / (self._counts[role][""] + _PRIOR_MASS)
                    / overall
                )
                for role in roles
            }
            mean = sum(lifts.values()) / len(roles)
            for role in roles:
                scores[role] += w * (lifts[role] - mean)
        if total_weight <= 0:
            return {}
        return {role: score / total_weight for role, score in scores.items()}

