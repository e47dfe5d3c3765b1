"""Sentence vectors by content: text hash → float16 vector, in a table of the index's SQLite file.

The ingest embeds every sentence once and keeps its vector here (the same text embeds the
same, so an edited note re-embeds only what changed); answers read it to compare a question
with the sentences of their passages; Chroma holds a float32 copy for the first-stage kNN.

Float16, not int8: int8 with a scale per vector halves the table (26 → 16 MB for 31,484
sentences) but moved one held-out question's context at 750 tokens (docs/benchmarks.md,
issue 30).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

_SCHEMA = "CREATE TABLE IF NOT EXISTS vectors(key TEXT PRIMARY KEY, vector BLOB NOT NULL)"


def text_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


class VectorCache:
    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def get(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        return {
            key: np.frombuffer(blob, dtype=np.float16).astype(np.float32)
            for key, blob in self._select("key, vector", keys)
        }

    def known(self, keys: Sequence[str]) -> set[str]:
        """The keys whose vectors are stored (without reading the vectors)."""
        return {key for (key,) in self._select("key", keys)}

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

    def _select(self, columns: str, keys: Sequence[str]) -> Iterator[tuple[Any, ...]]:
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 500):  # SQLite's limit on bound parameters
            batch = unique[start : start + 500]
            marks = ",".join("?" * len(batch))
            yield from self._db.execute(
                f"SELECT {columns} FROM vectors WHERE key IN ({marks})", batch
            )
