"""Sentence vectors into the content cache as notes are read, then into Chroma in one pass.

A passage is stored as its sentences (bot.index.vectors says why). A text embedded once is
never embedded again while the index lives: an edited note re-embeds only the sentences that
changed (chunk ids change with the file's hash).

Two phases, for memory: embedded Chroma holds its whole vector index in the process (~5 KB a
sentence), the embedder and Sudachi ~100 MB more. Reading notes needs the models, writing
Chroma does not: so the vectors wait in the cache (SQLite) until every note is read, and
the models can be let go before Chroma grows (docs/benchmarks.md, issue 30). A run killed
in between leaves passages without vectors: the next run's repair writes them from the cache.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from bot.core.answering.sentences import dense_texts
from bot.core.models import Chunk
from bot.index.embedders import Embedder
from bot.index.store import NotesStore
from bot.index.vector_cache import VectorCache, text_key
from bot.index.vectors import ChromaVectors, Entry

_SLACK = 1.5  # prune the cache once it holds this many times the texts in use
_SENTENCES = 8  # a passage's usual number of sentences (prune estimate)
_STORE_BATCH = 500  # sentence vectors written to Chroma at a time: larger calls leave its
# SQLite with more free pages (33,429 vectors: 63 MB at 500 a call, 65 at 2,000, 71 at 5,000)


class VectorWriter:
    def __init__(self, *, vectors: ChromaVectors, cache: VectorCache, embedder: Embedder) -> None:
        self._vectors = vectors
        self._cache = cache
        self._embedder = embedder
        self._unstored: list[tuple[str, list[str]]] = []  # chunk id, its texts' keys
        self._stale: list[str] = []  # chunk ids whose vectors go

    def start(self) -> None:
        """A new run: what a failed one collected is not written (its repair redoes it)."""
        self._unstored, self._stale = [], []

    def embed(self, chunks: Sequence[Chunk]) -> int:
        """Make sure the cache holds the passages' vectors (they reach Chroma at ``store``);
        how many texts had to be embedded."""
        texts: dict[str, str] = {}
        for chunk in chunks:
            dense = dense_texts(chunk.body)
            keys = [text_key(text) for text in dense]
            texts.update(zip(keys, dense, strict=True))
            self._unstored.append((chunk.id, keys))
        known = self._cache.known(list(texts))
        missing = [key for key in texts if key not in known]
        if missing:
            embedded = self._embedder.embed_documents([texts[key] for key in missing])
            self._cache.put(dict(zip(missing, embedded, strict=True)))
        return len(missing)

    def discard(self, chunk_ids: Iterable[str]) -> None:
        """These passages are gone: their vectors leave Chroma at ``store``."""
        self._stale.extend(chunk_ids)

    @property
    def pending(self) -> int:
        """Sentence vectors waiting for ``store``."""
        return sum(len(keys) for _, keys in self._unstored)

    def store(self, say: Callable[[str], None]) -> None:
        """Write what ``embed`` and ``discard`` collected to Chroma, saying how far it is
        every tenth of the way."""
        self._vectors.delete(self._stale)
        total, said, written, size = self.pending, 0, 0, 0
        batch: list[tuple[str, list[str]]] = []
        for n, (chunk_id, keys) in enumerate(self._unstored, 1):
            batch.append((chunk_id, keys))
            size += len(keys)
            if size >= _STORE_BATCH or n == len(self._unstored):
                written += self._write(batch)
                batch, size = [], 0
                if written - said >= total / 10 or written == total:
                    say(f"sentence vectors written: {written:,}/{total:,}")
                    said = written
        self._unstored, self._stale = [], []

    def restore(self, chunks: Iterable[Chunk]) -> set[str]:
        """Queue the cached vectors of these passages for ``store`` (a run killed before its
        ``store``); the ids of those whose vectors the cache lacks."""
        rows = [(c.id, _keys(c)) for c in chunks]
        known = self._cache.known([key for _, keys in rows for key in keys])
        whole = [(cid, keys) for cid, keys in rows if all(key in known for key in keys)]
        self._unstored.extend(whole)
        return {cid for cid, _ in rows} - {cid for cid, _ in whole}

    def prune(self, store: NotesStore) -> int:
        """Forget vectors no current passage uses (only once they pile up)."""
        if self._cache.count() <= _SLACK * _SENTENCES * store.count_chunks():
            return 0
        chunks = store.chunks_by_id(store.chunk_ids()).values()
        return self._cache.keep_only({key for chunk in chunks for key in _keys(chunk)})

    def reset(self) -> None:
        self._cache.clear()
        self.start()

    def _write(self, rows: Sequence[tuple[str, list[str]]]) -> int:
        vectors = self._cache.get([key for _, keys in rows for key in keys])
        entries = [
            Entry(chunk_id, k, vectors[key])
            for chunk_id, keys in rows
            for k, key in enumerate(keys)
        ]
        self._vectors.add(entries)
        return len(entries)


def _keys(chunk: Chunk) -> list[str]:
    """The cache keys of a passage's sentences, in order (sentence k is Chroma's ``id#k``)."""
    return [text_key(text) for text in dense_texts(chunk.body)]
