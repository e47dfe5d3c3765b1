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
_SMOOTHING = 1.0
_MIN_ROLE_PASSAGES = 3  # a role seen in fewer passages says nothing general

RoleCounts = Mapping[str, Counter[str]]


def role_of(heading: str) -> str:
    """The passage's top section under the note title ("" for text right under the title)."""
    parts = [part.strip() for part in heading.split(" > ")]
    if len(parts) < 2:
        return ""
    key = title_key(_NUMBERING.sub("", parts[1]))
    return key.replace(" ", "")[:_ROLE_CHARS]


def count_roles(samples: Iterable[tuple[str, Iterable[str]]]) -> dict[str, Counter[str]]:
    """Document frequency of each word per role, from (heading, tokens) of every passage."""
    counts: dict[str, Counter[str]] = {}
    passages: Counter[str] = Counter()
    for heading, tokens in samples:
        role = role_of(heading)
        if not role:
            continue
        passages[role] += 1
        counts.setdefault(role, Counter()).update(set(tokens))
    return {role: c for role, c in counts.items() if passages[role] >= _MIN_ROLE_PASSAGES}


class RoleModel:
    """P(role | word) from the index; a question's affinity for each role."""

    def __init__(self, counts: RoleCounts) -> None:
        self._counts = counts
        self._totals: Counter[str] = Counter()
        for role_counts in counts.values():
            self._totals.update(role_counts)

    @property
    def roles(self) -> list[str]:
        return sorted(self._counts)

    def affinity(self, tokens: Iterable[str], weight: Callable[[str], float]) -> dict[str, float]:
        """Per role: how much more the question's words belong to it than to an average role.

        0 means no preference; the scale is a weighted mean of P(role|word) − 1/roles.
        """
        roles = self.roles
        if len(roles) < 2:
            return {}
        prior = 1.0 / len(roles)
        scores = dict.fromkeys(roles, 0.0)
        total_weight = 0.0
        for token in set(tokens):
            seen = self._totals.get(token, 0)
            if not seen:
                continue
            w = weight(token) * (1.0 - math.exp(-seen))  # words seen once say little
            total_weight += w
            for role in roles:
                p = (self._counts[role].get(token, 0) + _SMOOTHING * prior) / (seen + _SMOOTHING)
                scores[role] += w * (p - prior)
        if total_weight <= 0:
            return {}
        return {role: score / total_weight for role, score in scores.items()}
