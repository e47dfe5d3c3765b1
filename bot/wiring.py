"""The composition root: the only place that turns Settings into clients."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.config import Settings
from bot.core.notes import ChunkingOptions
from bot.index.bm25 import BM25Index
from bot.index.embedders import Embedder, LocalEmbedder, OpenAIEmbedder
from bot.index.search import DenseWeights, Searcher
from bot.index.store import NotesStore
from bot.index.tokenizer import JapaneseTokenizer
from bot.index.vectors import ChromaVectors, connect_chroma


class IndexBusy(RuntimeError):
    """Another ingest holds the data dir (Chroma allows one writer per directory)."""


@dataclass(slots=True)
class Index:
    store: NotesStore
    vectors: ChromaVectors
    embedder: Embedder
    tokenizer: JapaneseTokenizer

    def close(self) -> None:
        self.store.close()


def make_embedder(settings: Settings) -> Embedder:
    if settings.embed_backend == "openai":
        from openai import OpenAI

        key = settings.embed_api_key.get_secret_value() if settings.embed_api_key else "none"
        client = OpenAI(
            base_url=settings.embed_base_url,
            api_key=key,
            timeout=settings.embed_timeout,
            max_retries=0,  # retries are ours (tenacity)
        )
        return OpenAIEmbedder(
            client=client,
            model=settings.embed_model,
            batch_size=settings.embed_batch_size,
            multilingual=settings.embed_multilingual,
        )
    return LocalEmbedder(
        settings.embed_model,
        batch_size=settings.embed_batch_size,
        multilingual=settings.embed_multilingual,
    )


def open_index(settings: Settings) -> Index:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    client = connect_chroma(
        data_dir=settings.data_dir,
        host=settings.chroma_host,
        port=settings.chroma_port,
        timeout=settings.chroma_timeout,
    )
    return Index(
        store=NotesStore(settings.data_dir / "notes.sqlite3"),
        vectors=ChromaVectors(client=client, collection=settings.chroma_collection),
        embedder=make_embedder(settings),
        tokenizer=JapaneseTokenizer(),
    )


def chunking_options(settings: Settings) -> ChunkingOptions:
    return ChunkingOptions(max_chars=settings.chunk_max_chars, min_chars=settings.chunk_min_chars)


def make_searcher(settings: Settings, index: Index) -> Searcher:
    return Searcher(
        store=index.store,
        bm25=BM25Index.load(settings.data_dir),
        vectors=index.vectors,
        embedder=index.embedder,
        tokenizer=index.tokenizer,
        dense=DenseWeights(ja=settings.dense_weight_ja, en=settings.dense_weight_en),
    )


@contextmanager
def writer_lock(data_dir: Path) -> Iterator[None]:
    """One ingest at a time per data dir; a second one fails fast with a clear message."""
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(data_dir / "ingest.lock", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IndexBusy(f"another ingest is running on {data_dir}") from exc
        yield
    finally:
        os.close(fd)
