"""The index as the bots use it: async calls served by one worker thread.

SudachiPy's tokenizer and the SQLite connection are not safe to share between threads, and the
bots' event loop must not block on a search; so every index call runs, in order, on one thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Generic, TypeVar

from bot.core.answering.glossary import mine_pairs
from bot.core.answering.sections import RoleModel, count_roles
from bot.core.catalog import build_catalog
from bot.core.models import Chunk, Hit, Paper
from bot.index.generation import Publication, published
from bot.index.search import Searcher
from bot.index.store import NotesStore
from bot.index.vectors import ChromaVectors

T = TypeVar("T")
_ROLE_SAMPLE = 20_000  # passages read to learn which words each section uses


def index_version(store: NotesStore) -> object:
    """What readers reload on: the last published ingest pass (or, for an index built before
    publications, the store's generation and paper stamps)."""
    publication = published(store)
    if publication is None:
        return store.catalog_version()
    return publication.generation, publication.writer


class _PerVersion(Generic[T]):
    """A value built once per index version (a finished ingest pass rebuilds it): the catalog,
    the role model, the note titles and the glossary are read per question."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._cached: tuple[object, T] | None = None

    def get(self, version: object) -> T:
        if self._cached is None or self._cached[0] != version:
            self._cached = (version, self._build())
        return self._cached[1]


class IndexReader:
    """Implements ``bot.core.retrieval.NotesIndex`` over a Searcher and the chunk store."""

    def __init__(
        self, *, searcher: Searcher, store: NotesStore, vectors: ChromaVectors | None = None
    ) -> None:
        self._searcher = searcher
        self._store = store
        self._vectors = vectors
        self._followed: Publication | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="notes-index")
        self._catalog = _PerVersion(
            lambda: build_catalog(self._store.mentions(), self._store.first_seen())
        )
        self._glossary_pairs = _PerVersion(lambda: mine_pairs(self._store.bodies()))
        self._titles = _PerVersion(self._store.note_titles)
        self._roles = _PerVersion(
            lambda: RoleModel(count_roles(self._store.headings_and_tokens(_ROLE_SAMPLE)))
        )

    async def search(self, query: str, k: int) -> list[Hit]:
        return await self._run(self._searcher.search, query, k)

    async def papers(self) -> list[Paper]:
        return await self._run(self._papers)

    async def paper_passages(self, titles: Sequence[str]) -> list[Chunk]:
        return await self._run(self._store.chunks_of_paper, list(titles))

    async def passages_of(self, titles: Sequence[str]) -> list[tuple[Chunk, list[str]]]:
        return await self._run(self._store.tokens_of_paper, list(titles))

    async def note_passages(self, source: str) -> list[tuple[Chunk, list[str]]]:
        return await self._run(self._store.tokens_of_source, source)

    async def glossary(self) -> dict[str, str]:
        return await self._run(self._glossary)

    async def note_titles(self) -> dict[str, str]:
        return await self._run(self._note_titles)

    async def doc_freqs(self, tokens: Sequence[str]) -> tuple[dict[str, int], int]:
        return await self._run(self._searcher.doc_freqs, list(tokens))

    async def role_model(self) -> RoleModel:
        return await self._run(self._role_model)

    async def closeness(self, question: str, texts: Sequence[str]) -> list[float]:
        return await self._run(self._searcher.closeness.scores, question, list(texts))

    async def neighbours(self, question: str, n: int) -> list[float]:
        return await self._run(self._searcher.neighbours, question, n)

    async def chunk_count(self) -> int:
        return await self._run(self._store.count_chunks)

    async def follow(self, me: str) -> Publication | None:
        """Catch up with the last published pass: a pass by another process (a cron ingest, a
        second bot) may have written vectors this process's embedded Chroma has not read."""
        return await self._run(self._follow, me)

    def _follow(self, me: str) -> Publication | None:
        now = published(self._store)
        seen, self._followed = self._followed, now
        if now is not None and now != seen and now.writer != me and self._vectors is not None:
            self._vectors.reconnect()
            self._searcher.forget()
        return now

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def _papers(self) -> list[Paper]:
        return self._catalog.get(index_version(self._store))

    def _glossary(self) -> dict[str, str]:
        return self._glossary_pairs.get(index_version(self._store))

    def _note_titles(self) -> dict[str, str]:
        return self._titles.get(index_version(self._store))

    def _role_model(self) -> RoleModel:
        return self._roles.get(index_version(self._store))

    async def _run(self, func: Callable[..., T], *args: object) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, func, *args)
