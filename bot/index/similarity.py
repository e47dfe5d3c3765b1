"""English text similarity for ranking new arXiv papers against the notes: dense (the index's
embedder) and lexical (bm25s), each a matrix of scores in [0, 1]."""

from __future__ import annotations

import re
from collections.abc import Sequence

import bm25s  # type: ignore[import-untyped]  # no stubs or py.typed
import numpy as np
from bm25s.stopwords import STOPWORDS_EN  # type: ignore[import-untyped]

from bot.index.embedders import Embedder

_WORD = re.compile(r"[a-z0-9]+")
# Words every abstract uses: they would make unrelated papers look alike.
_SKIP = frozenset(STOPWORDS_EN) | frozenset(
    "we our this that these which paper propose proposed method methods approach results "
    "show shows using based new novel model models task tasks can also both".split()
)


def words(text: str) -> list[str]:
    """Lower-case English words without stop words, plurals made singular."""
    found = _WORD.findall(text.lower())
    return [_singular(w) for w in found if len(w) > 1 and w not in _SKIP]


def _singular(word: str) -> str:
    """"models" → "model", "queries" → "query", "classes" → "class"; "loss", "corpus" stay."""
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-2] if word.endswith(("sses", "xes", "ches", "shes")) else word[:-1]


class DenseSimilarity:
    """Cosine similarity of the embedder's vectors, stretched to [0, 1] over the matrix.

    Models differ in how much of the cosine range they use (e5 puts nearly every pair between
    0.7 and 0.9, MiniLM spreads them over 0 to 0.7): stretched, the dense scores weigh as much
    as the lexical ones they are fused with, whatever the model."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder

    def matrix(self, queries: Sequence[str], docs: Sequence[str]) -> list[list[float]]:
        if not queries or not docs:
            return [[] for _ in queries]
        # Both sides as passages: with e5 on bench/arxiv_rank.py, reading the new papers as
        # queries did worse (title-only fusion hit@10 0.44 against 0.72), both as queries no
        # better (0.72, dense alone 0.56 against 0.61).
        q = _unit(np.asarray(self._embedder.embed_documents(list(queries)), dtype=np.float32))
        d = _unit(np.asarray(self._embedder.embed_documents(list(docs)), dtype=np.float32))
        cosines = np.clip(q @ d.T, 0.0, 1.0)
        low, high = float(cosines.min()), float(cosines.max())
        return ((cosines - low) / (high - low) if high > low else cosines).tolist()  # type: ignore[no-any-return]


class LexicalSimilarity:
    """BM25 of each query against each doc, divided by the query's score against itself.

    Raw BM25 grows with the query's length, so a long abstract would outrank a short one;
    the ratio says which share of what the query could match it does match. Queries and docs
    share one index, so the self-score and the IDFs come from the same collection."""

    def __init__(self, *, k1: float = 1.2, b: float = 0.75) -> None:
        self._k1, self._b = k1, b

    def matrix(self, queries: Sequence[str], docs: Sequence[str]) -> list[list[float]]:
        doc_words = [words(d) for d in docs]
        query_words = [words(q) for q in queries]
        if not docs or not any(doc_words):
            return [[0.0] * len(docs) for _ in queries]
        model = bm25s.BM25(k1=self._k1, b=self._b)
        model.index([w or ["\u2205"] for w in doc_words + query_words], show_progress=False)
        rows = []
        for i, tokens in enumerate(query_words):
            known = [t for t in dict.fromkeys(tokens) if t in model.vocab_dict]
            scores = model.get_scores(known) if known else np.zeros(len(docs) + len(queries))
            itself = float(scores[len(docs) + i])
            row = scores[: len(docs)] / itself if itself > 0 else np.zeros(len(docs))
            rows.append(np.clip(row, 0.0, 1.0).tolist())
        return rows


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)
