"""Vectors by content, and how close a question is to any text of the notes.

The ingest embeds every sentence and keeps its vector here under the hash of its text, beside
the chunks (the same text embeds the same, so an edited note re-embeds only what changed);
Chroma holds a copy for the first-stage kNN. A text the cache lacks (an index written by an
older chunker) is embedded when an answer first needs it, and kept in memory.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np

from bot.index.embedders import Embedder

log = logging.getLogger(__name__)
_SCHEMA = "CREATE TABLE IF NOT EXISTS vectors(key TEXT PRIMARY KEY, vector BLOB NOT NULL)"
_QUERIES = 256  # question vectors remembered (a question is embedded once for every step)
_FRESH = 20_000  # sentence vectors remembered (~15 MB in float16)


def text_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


class VectorCache:
    """text hash → float16 vector, in a table of the index's SQLite file."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def get(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 500):
            batch = unique[start : start + 500]
            marks = ",".join("?" * len(batch))
            query = f"SELECT key, vector FROM vectors WHERE key IN ({marks})"
            for key, blob in self._db.execute(query, batch):
                found[key] = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
        return found

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM vectors").fetchone()[0])

    def put(self, vectors: Mapping[str, Sequence[float]]) -> None:
        rows = [(k, np.asarray(v, dtype=np.float16).tobytes()) for k, v in vectors.items()]
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES(?, ?)", rows)

    def keep_only(self, keys: set[str]) -> int:
        """Drop the vectors of texts no chunk uses any more; how many went."""
        stale = [k for (k,) in self._db.execute("SELECT key FROM vectors") if k not in keys]
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("DELETE FROM vectors WHERE key = ?", [(k,) for k in stale])
        return len(stale)

    def clear(self) -> None:
        self._db.execute("DELETE FROM vectors")


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
