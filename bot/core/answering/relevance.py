"""Is a passage about the question at all? An absolute score, unlike the fused ranks.

Fused scores are z-scores within one candidate list, so the best hit of an unrelated question
still scores high. Coverage asks instead: how much of the question's vocabulary (weighted by
rarity, so "論文" counts little and "Matryoshka" a lot) does the passage contain?
Words the notes never use weigh the most: "今日の天気" over ML notes covers nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable


def idf(doc_freq: int, total_docs: int) -> float:
    """BM25's idf; a word in no document gets the highest weight."""
    return math.log(1.0 + (total_docs - doc_freq + 0.5) / (doc_freq + 0.5))


def coverage(
    query_tokens: Iterable[str], doc_tokens: Iterable[str], weight: Callable[[str], float]
) -> float:
    """Share (0..1) of the question's distinct words, weighted, that the passage contains."""
    query = set(query_tokens)
    if not query:
        return 0.0
    doc = set(doc_tokens)
    total = sum(weight(token) for token in query)
    found = sum(weight(token) for token in query & doc)
    return found / total if total > 0 else 0.0
