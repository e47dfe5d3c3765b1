"""Sentence vectors into Chroma and into the content cache.

A passage is stored as its sentences (bot.index.vectors says why). A text embedded once is
never embedded again while the index lives: an edited note re-embeds only the sentences that
changed (chunk ids change with the file's hash).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.answering.sentences import dense_texts
from bot.core.models import Chunk
from bot.index.dense import VectorCache, text_key
from bot.index.embedders import Embedder
from bot.index.store import NotesStore
from bot.index.vectors import ChromaVectors, Entry

_SLACK = 1.5  # prune the cache once it holds this many times the texts in use
_SENTENCES = 8  # a passage's usual number of sentences (prune estimate)


class VectorWriter:
    def __init__(self, *, vectors: ChromaVectors, cache: VectorCache, embedder: Embedder) -> None:
        self._vectors = vectors
        self._cache = cache
        self._embedder = embedder

    def add(self, chunks: Sequence[Chunk]) -> int:
        """Store the passages' vectors; how many texts had to be embedded."""
        rows = [
            (chunk, k, text) for chunk in chunks for k, text in enumerate(dense_texts(chunk.body))
        ]
        texts = {text_key(text): text for _, _, text in rows}
        vectors, embedded = self._vectors_for(texts)
        self._vectors.add([Entry(c, k, text, vectors[text_key(text)]) for c, k, text in rows])
        return embedded

    def prune(self, store: NotesStore) -> int:
        """Forget vectors no current passage uses (only once they pile up)."""
        if self._cache.count() <= _SLACK * _SENTENCES * store.count_chunks():
            return 0
        chunks = store.chunks_by_id(store.chunk_ids()).values()
        keys = {text_key(text) for chunk in chunks for text in dense_texts(chunk.body)}
        return self._cache.keep_only(keys)

    def reset(self) -> None:
        self._cache.clear()

    def _vectors_for(self, texts: dict[str, str]) -> tuple[dict[str, Sequence[float]], int]:
        known: dict[str, Sequence[float]] = dict(self._cache.get(list(texts)))
        missing = [key for key in texts if key not in known]
        if missing:
            embedded = self._embedder.embed_documents([texts[key] for key in missing])
            fresh = dict(zip(missing, embedded, strict=True))
            self._cache.put(fresh)
            known.update(fresh)
        return known, len(missing)
