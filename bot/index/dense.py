"""How close a question is to any text of the notes, for every step of answering.

The sentences' vectors come from the content cache (bot.index.vector_cache). A text the
cache lacks (an index written by an older chunker) is embedded when an answer first needs
it, and kept in memory.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np

from bot.index.embedders import Embedder
from bot.index.vector_cache import VectorCache, text_key

log = logging.getLogger(__name__)
_QUERIES = 256  # question vectors remembered (a question is embedded once for every step)
_FRESH = 20_000  # sentence vectors remembered (~30 MB in float32)


class Closeness:
    """Cosine similarity of a question to texts of the notes, for every step of answering.

    ``usable`` says whether the index was built by this embedder: vectors of another model
    (of the same size, even) would compare as noise, so then nothing is compared."""

    def __init__(
        self, *, embedder: Embedder, cache: VectorCache, usable: Callable[[], bool]
    ) -> None:
        self._embedder = embedder
        self._cache = cache
        self._usable = usable
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._fresh: OrderedDict[str, np.ndarray] = OrderedDict()

    @property
    def multilingual(self) -> bool:
        return self._embedder.multilingual

    @property
    def usable(self) -> bool:
        return self._usable()

    def query_vector(self, query: str) -> list[float]:
        """The question's vector (embedded once, however many steps ask)."""
        return self._query(query).tolist()  # type: ignore[no-any-return]

    def scores(self, query: str, texts: Sequence[str]) -> list[float]:
        """One cosine per text; [] when dense similarity is unavailable (another embedder's
        index, or the embedder failed): callers then rank by words alone."""
        if not texts or not self._usable():
            return []
        try:
            q = self._query(query)
            vectors = self._vectors(texts)
        except Exception as exc:  # an embedding server down must not cost the answer
            log.warning("dense similarity unavailable: %s", exc.__class__.__name__)
            return []
        return [float(v @ q) for v in vectors]

    def _query(self, query: str) -> np.ndarray:
        vector = self._queries.pop(query, None)
        if vector is None:
            vector = _unit(np.asarray(self._embedder.embed_query(query), dtype=np.float32))
        self._queries[query] = vector
        while len(self._queries) > _QUERIES:
            self._queries.popitem(last=False)
        return vector

    def _vectors(self, texts: Sequence[str]) -> list[np.ndarray]:
        keys = [text_key(t) for t in texts]
        stored = self._cache.get([k for k in keys if k not in self._fresh])
        missing = {k: t for k, t in zip(keys, texts, strict=True)
                   if k not in stored and k not in self._fresh}
        if missing:
            embedded = self._embedder.embed_documents(list(missing.values()))
            for key, vector in zip(missing, embedded, strict=True):
                self._fresh[key] = _unit(np.asarray(vector, dtype=np.float32))
            while len(self._fresh) > _FRESH:
                self._fresh.popitem(last=False)
        return [stored[k] if k in stored else self._fresh[k] for k in keys]


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector
