"""The steps around an ingest's writes: repair after a kill, the BM25 swap, paper stamps."""

from __future__ import annotations

from pathlib import Path

from bot.core.catalog import build_catalog, identity_keys
from bot.index.bm25 import BM25Index
from bot.index.store import NotesStore
from bot.index.vectors import ChromaVectors
from ingest.vectors import VectorWriter


def reconcile(store: NotesStore, vectors: ChromaVectors, writer: VectorWriter) -> int:
    """After an interrupted run: make Chroma hold exactly the chunks SQLite committed.
    Committed passages without vectors get them from the cache at this run's store (a run
    killed before it wrote Chroma); a file whose vectors the cache lacks loses its hash, so
    the next full scan re-indexes it."""
    in_chroma = vectors.all_ids()
    committed = set(store.chunk_ids())
    orphans = sorted(in_chroma - committed)
    vectors.delete(orphans)
    missing = committed - in_chroma
    unrestored = writer.restore(store.chunks_by_id(sorted(missing)).values())
    for source in store.source_of_chunks(unrestored):
        store.forget_hash(source)
    return len(orphans) + len(missing)


def refresh_bm25(store: NotesStore, data_dir: Path, *, stamp: str, k1: float, b: float) -> None:
    """Rebuild BM25 from SQLite's tokens unless the current one was built from the same rows."""
    current = BM25Index.load(data_dir)
    if current is not None and current.stamp == stamp:
        return
    BM25Index.build(store.tokens_in_order(), k1=k1, b=b, stamp=stamp).save(data_dir)


def record_papers(store: NotesStore) -> None:
    """Stamp newly seen papers, so the digest can tell new from resurfaced."""
    catalog = build_catalog(store.mentions())
    store.record_paper_keys(key for paper in catalog for key in identity_keys(paper))
