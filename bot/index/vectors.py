"""Dense vectors in Chroma, written and queried through llama-index's ChromaVectorStore."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.core.models import Chunk

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.types import PyEmbedding
    from llama_index.core.schema import BaseNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

log = logging.getLogger(__name__)
_GET_PAGE = 5_000


class ChromaVectors:
    """Chunk vectors + metadata; ids are chunk ids, so writes after a crash are idempotent."""

    def __init__(self, *, client: ClientAPI, collection: str) -> None:
        self._client = client
        self._name = collection
        self._open()

    def _open(self) -> None:
        self._collection = self._client.get_or_create_collection(
            self._name, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )
        self._llama: ChromaVectorStore | None = None
        # llama-index batches 41,665 rows, over Chroma's limit (llama_index #20142): we batch.
        self.max_batch = self._client.get_max_batch_size()

    def _writer(self) -> ChromaVectorStore:
        # Imported on the write path only: llama-index costs seconds that search never needs.
        if self._llama is None:
            from llama_index.vector_stores.chroma import ChromaVectorStore

            self._llama = ChromaVectorStore(chroma_collection=self._collection)
        return self._llama

    def add(self, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]]) -> None:
        from llama_index.core.schema import TextNode

        nodes: list[BaseNode] = [
            TextNode(
                id_=chunk.id,
                text=chunk.text,
                embedding=list(vector),
                metadata={
                    "source": chunk.source,
                    "heading": chunk.heading,
                    "paper": chunk.paper or "",
                    "url": chunk.url or "",
                    "line_start": chunk.line_start,
                    "line_end": chunk.line_end,
                },
            )
            for chunk, vector in zip(chunks, vectors, strict=True)
        ]
        for start in range(0, len(nodes), self.max_batch):
            self._writer().add(nodes[start : start + self.max_batch])

    def delete(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), self.max_batch):
            self._writer().delete_nodes(node_ids=list(ids[start : start + self.max_batch]))

    def query(self, vector: Sequence[float], n: int) -> list[tuple[str, float]]:
        """Top ``n`` (chunk id, cosine similarity); read straight from the collection (hot path)."""
        if n <= 0 or self.count() == 0:
            return []
        queries: list[PyEmbedding] = [list(vector)]
        result = self._collection.query(
            query_embeddings=queries, n_results=n, include=["distances"]
        )
        distances = result["distances"]
        assert distances is not None  # included above
        return [
            (chunk_id, 1.0 - float(distance))
            for chunk_id, distance in zip(result["ids"][0], distances[0], strict=True)
        ]

    def all_ids(self) -> set[str]:
        ids: set[str] = set()
        offset = 0
        while True:
            page = self._collection.get(include=[], limit=_GET_PAGE, offset=offset)["ids"]
            ids.update(page)
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
            vector = list(embeddings[0])
            found = self.query(vector, 1)
        except Exception as exc:
            return f"{exc.__class__.__name__}: {str(exc)[-160:]}"
        if not found or found[0][0] != stored["ids"][0]:
            return "a stored vector does not find itself"
        return None

    def reset(self) -> None:
        try:
            self._client.delete_collection(self._name)
        except Exception as exc:
            log.debug("delete_collection(%s): %s", self._name, exc)
        self._open()
