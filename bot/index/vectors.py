"""Sentence vectors in Chroma: ids, vectors and the one field deletes filter by.

Each passage is stored as its sentences (measured on the dev questions: a passage's closest
sentence finds it as well as one vector of the whole passage, and the same vectors then
choose the sentences to quote). A kNN over sentences is grouped by passage.

The text lives once, in notes.sqlite3. Chroma is given no documents (it would keep each twice
and build a full-text index nobody queries) and no metadata but the passage id: written
through llama-index's ChromaVectorStore, 13 metadata rows a vector made Chroma's SQLite 150 MB
for 35,000 sentences (docs/benchmarks.md, issue 30).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import numpy as np

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection
    from chromadb.api.types import Where

log = logging.getLogger(__name__)
_GET_PAGE = 5_000
FANOUT = 4  # sentences fetched per passage wanted: a passage's sentences crowd its neighbours


@dataclass(frozen=True, slots=True)
class Entry:
    """One stored vector: sentence ``ordinal`` of passage ``chunk_id``."""

    chunk_id: str
    ordinal: int
    vector: Sequence[float]

    @property
    def id(self) -> str:
        return f"{self.chunk_id}#{self.ordinal}"


def chunk_of(entry_id: str) -> str:
    return entry_id.rsplit("#", 1)[0]


def by_passage(sentences: Sequence[tuple[str, float]], n: int) -> list[tuple[str, float]]:
    """The first ``n`` passages of a closest-first sentence list, each at its best sentence."""
    best: dict[str, float] = {}
    for chunk_id, cosine in sentences:
        best.setdefault(chunk_id, cosine)
    return list(best.items())[:n]


class ChromaVectors:
    """Sentence vectors + their passage's metadata; ids are ``chunk id#ordinal``, so writes
    after a crash are idempotent."""

    def __init__(
        self, *, client: ClientAPI | Callable[[], ClientAPI], collection: str, local: bool = False
    ) -> None:
        # A factory connects on first use: an idle bot need not load chromadb (~30 MB).
        self._connect = client if callable(client) else (lambda: client)
        self._name = collection
        self._local = local  # embedded: this process keeps its own copy of the vector index
        self._opened: tuple[ClientAPI, Collection, int] | None = None
        self._opening = threading.Lock()  # the bot's reader and writer threads share this

    def reconnect(self) -> None:
        """Read what another process wrote: embedded Chroma keeps the vector index it loaded
        in memory, so it is dropped and reopened (a server's clients see writes as they are).
        Callers make sure no other call is in flight (bot.live says how)."""
        if not self._local or self._opened is None:
            return
        from chromadb.api.shared_system_client import SharedSystemClient

        with self._opening:
            SharedSystemClient.clear_system_cache()
            self._opened = None
        log.info("reopened the embedded vector index to read another writer's pass")

    def _open(self) -> tuple[ClientAPI, Collection, int]:
        with self._opening:
            return self._opened or self._first_open()

    def _first_open(self) -> tuple[ClientAPI, Collection, int]:
        if self._opened is None:
            client = self._connect()
            collection = client.get_or_create_collection(
                self._name, embedding_function=None, metadata={"hnsw:space": "cosine"}
            )
            self._opened = (client, collection, client.get_max_batch_size())
        return self._opened

    @property
    def _collection(self) -> Collection:
        return self._open()[1]

    @property
    def max_batch(self) -> int:
        return self._open()[2]

    def add(self, entries: Sequence[Entry]) -> None:
        """Upsert: ids are deterministic, so a batch written again after a crash is a no-op."""
        for start in range(0, len(entries), self.max_batch):
            batch = entries[start : start + self.max_batch]
            self._collection.upsert(
                ids=[entry.id for entry in batch],
                embeddings=np.asarray([entry.vector for entry in batch], dtype=np.float32),
                metadatas=[{"chunk": entry.chunk_id} for entry in batch],
            )

    def delete(self, chunk_ids: Sequence[str]) -> None:
        """Every sentence vector of these passages."""
        for start in range(0, len(chunk_ids), self.max_batch):
            batch = list(chunk_ids[start : start + self.max_batch])
            self._collection.delete(where=cast("Where", {"chunk": {"$in": batch}}))

    def nearest(self, vector: Sequence[float], n: int) -> list[tuple[str, float]]:
        """The ``n`` closest sentences as (chunk id, cosine), closest first."""
        if n <= 0 or self.count() == 0:
            return []
        result = self._collection.query(
            query_embeddings=np.asarray([vector], dtype=np.float32),
            n_results=n,
            include=["distances"],
        )
        distances = result["distances"]
        assert distances is not None  # included above
        return [
            (chunk_of(entry_id), 1.0 - float(distance))
            for entry_id, distance in zip(result["ids"][0], distances[0], strict=True)
        ]

    def query(self, vector: Sequence[float], n: int) -> list[tuple[str, float]]:
        """The ``n`` closest passages (chunk id, cosine of their closest sentence)."""
        return by_passage(self.nearest(vector, n * FANOUT), n)

    def all_ids(self) -> set[str]:
        """The passages that have vectors."""
        ids: set[str] = set()
        offset = 0
        while True:
            page = self._collection.get(include=[], limit=_GET_PAGE, offset=offset)["ids"]
            ids.update(chunk_of(entry_id) for entry_id in page)
            if len(page) < _GET_PAGE:
                return ids
            offset += _GET_PAGE

    def count(self) -> int:
        return self._collection.count()

    def probe(self) -> str | None:
        """None if Chroma can count and search what it stores, else what went wrong."""
        try:
            if self.count() == 0:
                return None
            stored = self._collection.get(limit=1, include=["embeddings"])
            embeddings = stored["embeddings"]
            assert embeddings is not None  # included above
            found = self.query(list(embeddings[0]), 1)
        except Exception as exc:
            return f"{exc.__class__.__name__}: {str(exc)[-160:]}"
        # The same sentence in two passages has one vector: it must find itself, or its twin.
        if not found or found[0][1] < 0.99:
            return "a stored vector does not find itself"
        return None

    def reset(self) -> None:
        try:
            self._open()[0].delete_collection(self._name)
        except Exception as exc:
            log.debug("delete_collection(%s): %s", self._name, exc)
        self._opened = None
        self._open()
