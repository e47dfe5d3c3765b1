"""The index as the bots use it: async calls served by one worker thread.

SudachiPy's tokenizer and the SQLite connection are not safe to share between threads, and the
bots' event loop must not block on a search; so every index call runs, in order, on one thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from bot.core.catalog import build_catalog
from bot.core.glossary import mine_pairs
from bot.core.models import Chunk, Hit, Paper
from bot.core.sections import RoleCounts, count_roles
from bot.index.search import Searcher
from bot.index.store import NotesStore

T = TypeVar("T")
_ROLE_SAMPLE = 20_000  # passages read to learn which words each section uses


class IndexReader:
    """Implements ``bot.core.retrieval.NotesIndex`` over a Searcher and the chunk store."""

    def __init__(self, *, searcher: Searcher, store: NotesStore) -> None:
        self._searcher = searcher
        self._store = store
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="notes-index")
        self._catalog: tuple[tuple[int, int], list[Paper]] | None = None
        self._roles: tuple[tuple[int, int], RoleCounts] | None = None
        self._terms: tuple[tuple[int, int], dict[str, str]] | None = None

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
        return await self._run(self._store.note_titles)

    async def doc_freqs(self, tokens: Sequence[str]) -> tuple[dict[str, int], int]:
        return await self._run(self._searcher.doc_freqs, list(tokens))

    async def role_counts(self) -> RoleCounts:
        return await self._run(self._role_counts)

    async def chunk_count(self) -> int:
        return await self._run(self._store.count_chunks)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def _papers(self) -> list[Paper]:
        # The catalog is rebuilt only when an ingest committed something new.
        version = self._store.catalog_version()
        if self._catalog is None or self._catalog[0] != version:
            catalog = build_catalog(self._store.mentions(), self._store.first_seen())
            self._catalog = (version, catalog)
        return self._catalog[1]

    def _glossary(self) -> dict[str, str]:
        version = self._store.catalog_version()
        if self._terms is None or self._terms[0] != version:
            self._terms = (version, mine_pairs(self._store.bodies()))
        return self._terms[1]

    def _role_counts(self) -> RoleCounts:
        version = self._store.catalog_version()
        if self._roles is None or self._roles[0] != version:
            samples = self._store.headings_and_tokens(_ROLE_SAMPLE)
            self._roles = (version, count_roles(samples))
        return self._roles[1]

    async def _run(self, func: Callable[..., T], *args: object) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, func, *args)
