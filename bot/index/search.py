"""The read side: hybrid search over BM25 (SudachiPy tokens) and Chroma vectors."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.core.answering.relevance import coverage, idf
from bot.core.fusion import FusionWeights, boost, dedupe, dense_weight_for, fuse
from bot.core.models import Chunk, Hit
from bot.index.bm25 import BM25Index
from bot.index.dense import Closeness
from bot.index.rerankers import Reranker
from bot.index.store import NotesStore
from bot.index.tokenizer import JapaneseTokenizer
from bot.index.vectors import FANOUT, ChromaVectors, by_passage

log = logging.getLogger(__name__)
_CANDIDATES = 100
_RECENT = 8  # kNN results kept (the phrasings of one question)
RERANK_DEPTH = 20  # the reranker reorders this many of the best fused candidates


@dataclass(frozen=True, slots=True)
class DenseWeights:
    ja: float | None = None
    en: float | None = None


class Searcher:
    def __init__(
        self,
        *,
        store: NotesStore,
        bm25: Callable[[], BM25Index | None],
        vectors: ChromaVectors,
        closeness: Closeness,
        tokenizer: JapaneseTokenizer,
        dense: DenseWeights = DenseWeights(),
        boosts: FusionWeights = FusionWeights(),  # noqa: B008
        reranker: Reranker | None = None,
    ) -> None:
        self._store = store
        self._bm25 = bm25
        self._vectors = vectors
        self.closeness = closeness
        self._tokenizer = tokenizer
        self._dense = dense
        self._boosts = boosts
        self._reranker = reranker
        self._recent: OrderedDict[tuple[str, int], list[tuple[str, float]]] = OrderedDict()

    def search(self, query: str, k: int = 5) -> list[Hit]:
        query = query.strip()
        if not query:
            return []
        n = max(_CANDIDATES, k * 4)
        bm25 = self._bm25()
        tokens = self._tokenizer.tokenize(query)
        lexical = bm25.search(tokens, n) if bm25 else []
        dense_weight = dense_weight_for(
            query, multilingual=self.closeness.multilingual, ja=self._dense.ja, en=self._dense.en
        )
        dense = []
        if dense_weight > 0 or not lexical:
            # An embedder that can't help costs nothing: no model load, no kNN.
            dense = self._vector_hits(query, n)
            dense_weight = dense_weight or 1.0
        fused = fuse(
            {"lexical": lexical, "dense": dense},
            {"lexical": self._boosts.lexical, "dense": dense_weight},
        )
        chunks = self._store.chunks_by_id(list(fused))
        ranked = sorted(
            (
                (chunk, fused[cid] + boost(query, chunk, self._boosts))
                for cid, chunk in chunks.items()
            ),
            key=lambda pair: pair[1],
            reverse=True,
        )
        best = self._reranked(query, dedupe(ranked), k)
        hits = [Hit(rank=i + 1, score=score, chunk=chunk) for i, (chunk, score) in enumerate(best)]
        return self._with_relevance(hits, tokens, bm25)

    def forget(self) -> None:
        """Drop remembered kNNs (the vector index was reopened)."""
        self._recent.clear()

    def neighbours(self, query: str, n: int) -> list[float]:
        """Cosines of the ``n`` sentences closest to the query; [] without usable vectors."""
        return [cosine for _, cosine in self._nearest(query, n)[:n]]

    def doc_freqs(self, tokens: list[str]) -> tuple[dict[str, int], int]:
        """How many passages use each token, and how many passages there are."""
        bm25 = self._bm25()
        if bm25 is None:
            return dict.fromkeys(tokens, 0), 0
        return bm25.doc_freqs(tokens), len(bm25.ids)

    def _reranked(
        self, query: str, ranked: list[tuple[Chunk, float]], k: int
    ) -> list[tuple[Chunk, float]]:
        """The reranker's order of the top candidates; the fused order if it fails."""
        if self._reranker is None or len(ranked) < 2:
            return ranked[:k]
        head = ranked[: max(k, RERANK_DEPTH)]
        try:
            scores = self._reranker.scores(query, [chunk.text for chunk, _ in head])
        except Exception as exc:
            log.warning("reranker %s failed, keeping fused order: %s", self._reranker.name,
                        exc.__class__.__name__)
            return ranked[:k]
        order = sorted(range(len(head)), key=lambda i: scores[i], reverse=True)
        return [(head[i][0], scores[i]) for i in order][:k]

    def _vector_hits(self, query: str, n: int) -> list[tuple[str, float]]:
        """Vector hits; if the embedder or Chroma fails, BM25 alone still answers."""
        return by_passage(self._nearest(query, n * FANOUT), n)

    def _nearest(self, query: str, n: int) -> list[tuple[str, float]]:
        """The ``n`` sentences closest to the query (chunk id, cosine). The last few kNNs are
        kept for the index generation they read: a question's search and its "not found"
        signals share one. An index built by another embedder holds vectors of another space:
        nothing is compared then, nor when a call fails."""
        key = (query, self._store.generation)
        if len(self._recent.get(key, ())) >= n:
            return self._recent[key]
        if not self.closeness.usable:
            return []
        try:
            found = self._vectors.nearest(self.closeness.query_vector(query), n)
        except Exception as exc:
            log.warning("dense retrieval unavailable, BM25 alone answers: %s",
                        exc.__class__.__name__)
            return []
        self._recent[key] = found
        while len(self._recent) > _RECENT:
            self._recent.popitem(last=False)
        return found

    def _with_relevance(
        self, hits: list[Hit], tokens: list[str], bm25: BM25Index | None
    ) -> list[Hit]:
        if not hits or bm25 is None:
            return hits
        freqs = bm25.doc_freqs(tokens)
        total = len(bm25.ids)
        doc_tokens = self._store.tokens_by_id([hit.chunk.id for hit in hits])
        return [
            replace(
                hit,
                relevance=coverage(
                    tokens, doc_tokens.get(hit.chunk.id, []), lambda t: idf(freqs[t], total)
                ),
            )
            for hit in hits
        ]
