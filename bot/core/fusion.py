"""Hybrid ranking: weighted z-score fusion of lexical and dense lists, then exact-match boosts.

Measured on JSQuAD (docs/benchmarks.md): an English embedder fused with equal weight drags BM25
down, so the dense weight depends on the embedder and the query's language.
"""

from __future__ import annotations

import functools
import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.core.models import Chunk
from bot.core.text import is_japanese, short_name, title_key

_ASCII_TERM = re.compile(r"[A-Za-z][A-Za-z0-9+#.\-]{2,}")


@dataclass(frozen=True, slots=True)
class FusionWeights:
    lexical: float = 1.0
    dense: float = 0.0
    title_boost: float = 1.0  # the query names the chunk's paper
    term_boost: float = 0.5  # share of the query's English terms found verbatim in the chunk


def dense_weight_for(
    query: str, *, multilingual: bool, ja: float | None, en: float | None
) -> float:
    """The dense weight for this query; None settings fall back to the measured defaults."""
    if is_japanese(query):
        return ja if ja is not None else (0.7 if multilingual else 0.0)
    return en if en is not None else (0.5 if multilingual else 0.3)


def zscores(scored: Sequence[tuple[str, float]]) -> dict[str, float]:
    if not scored:
        return {}
    values = [score for _, score in scored]
    mean = statistics.fmean(values)
    spread = statistics.pstdev(values) or 1.0
    return {doc: (score - mean) / spread for doc, score in scored}


def fuse(
    lists: Mapping[str, Sequence[tuple[str, float]]], weights: Mapping[str, float]
) -> dict[str, float]:
    """Weighted sum of per-list z-scores; a document missing from a list gets that list's min."""
    normalized = {
        name: zscores(scored) for name, scored in lists.items() if scored and weights.get(name)
    }
    docs = {doc for scores in normalized.values() for doc in scores}
    fused: dict[str, float] = {}
    for doc in docs:
        fused[doc] = sum(
            weights[name] * scores.get(doc, min(scores.values()))
            for name, scores in normalized.items()
        )
    return fused


def boost(query: str, chunk: Chunk, weights: FusionWeights) -> float:
    """Extra score when the query names the chunk's paper or uses its exact English terms."""
    extra = 0.0
    query_key = f" {title_key(query)} "
    if chunk.paper and _names_paper(query_key, chunk.paper):
        extra += weights.title_boost
    terms = {term.lower().rstrip(".") for term in _ASCII_TERM.findall(query)}
    if terms:
        haystack = chunk.text.lower()
        extra += weights.term_boost * sum(term in haystack for term in terms) / len(terms)
    return extra


def _names_paper(query_key: str, paper: str) -> bool:
    return any(f" {key} " in query_key for key in _paper_keys(paper))


@functools.lru_cache(maxsize=4096)  # a corpus has far fewer paper titles than chunks
def _paper_keys(paper: str) -> tuple[str, ...]:
    keys = {title_key(paper)}
    if short := short_name(paper):
        keys.add(title_key(short))
    return tuple(key for key in keys if len(key) >= 4)


def dedupe(ranked: Sequence[tuple[Chunk, float]]) -> list[tuple[Chunk, float]]:
    """Keep the best-scoring copy of each passage (same text, or same lines of one note)."""
    seen_text: set[str] = set()
    seen_lines: set[tuple[str, int, int]] = set()
    kept = []
    for chunk, score in ranked:
        text_key = " ".join(chunk.body.split())
        line_key = (chunk.source, chunk.line_start, chunk.line_end)
        if text_key in seen_text or line_key in seen_lines:
            continue
        seen_text.add(text_key)
        seen_lines.add(line_key)
        kept.append((chunk, score))
    return kept
