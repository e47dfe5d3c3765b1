"""The same ingest and search through `chromadb.HttpClient` against a real `chroma run`."""

from __future__ import annotations

import pytest

from tests.conftest import SAMPLE_NOTES
from tests.support import index_counts, run_ingest, searcher_for, settings_for

pytestmark = pytest.mark.slow


def test_ingest_and_search_against_a_chroma_server(tmp_path, embedder, chroma_server):
    settings = settings_for(
        SAMPLE_NOTES,
        tmp_path / "data",
        chroma_host=chroma_server.host,
        chroma_port=chroma_server.port,
    )
    report = run_ingest(settings, embedder)
    assert len(report.indexed) == 3 and report.chunks > 0
    assert not (tmp_path / "data" / "chroma").exists(), "vectors live on the server, not locally"

    counts = index_counts(settings, embedder)
    assert counts["sqlite"] == counts["chroma"] == counts["bm25"] == report.chunks
    assert counts["chroma_ids_match"] and counts["bm25_ids_match"]

    again = run_ingest(settings, embedder)
    assert (again.indexed, again.unchanged) == ([], 3)

    searcher, index = searcher_for(settings, embedder)
    try:
        hits = searcher.search("ColBERT late interaction", k=3)
        assert hits and hits[0].chunk.source == "2026-01-10_session.md", hits
        dense_only = index.vectors.query(embedder.embed_query("late interaction retrieval"), 3)
        assert len(dense_only) == 3, "the server answers kNN queries"
    finally:
        index.close()


async def test_restart_with_over_1000_vectors_then_detect_and_repair(
    tmp_path, chroma_server, openai_server
):
    """chroma #7090: an HNSW index > 1,000 vectors failed to reload after a restart."""
    from bot.app.compose import make_embedder
    from bot.app.diagnose import run_checks
    from ingest.pipeline import VectorIndexBroken
    from tests.support import write_synthetic_notes

    notes = tmp_path / "notes"
    write_synthetic_notes(notes, files=70, sections=16)
    settings = settings_for(
        notes, tmp_path / "data", chroma_host=chroma_server.host, chroma_port=chroma_server.port,
        chunk_max_chars=200, embed_backend="openai", embed_base_url=openai_server.base_url,
        embed_model="fake-embedder", embed_batch_size=256, dense_weight_ja=0.5,
    )
    embedder = make_embedder(settings)  # deterministic vectors from the fake: fast
    report = run_ingest(settings, embedder)
    assert report.chunks > 1000

    async def chroma_status() -> str:
        return next(c for c in await run_checks(settings) if c.name == "chroma").status

    def searchable() -> bool:
        searcher, index = searcher_for(settings, embedder)
        try:
            hits = searcher.search("量子化と蒸留の関係", k=3)
            return bool(hits) and index.vectors.probe() is None
        finally:
            index.close()

    chroma_server.restart()
    assert searchable() and await chroma_status() == "ok", "a clean restart keeps search"

    chroma_server.stop()
    for segment in chroma_server.path.rglob("*.bin"):  # the #7090 symptom: unloadable HNSW
        segment.write_bytes(b"\0" * 16)
    chroma_server.start()
    assert await chroma_status() == "fail"
    searcher, index = searcher_for(settings, embedder)
    try:
        assert searcher.search("量子化と蒸留の関係", k=3), "BM25 still answers meanwhile"
    finally:
        index.close()
    with pytest.raises(VectorIndexBroken, match="--rebuild"):
        run_ingest(settings, embedder)
    repaired = run_ingest(settings, embedder, rebuild=True)
    assert repaired.rebuilt and repaired.chunks == report.chunks
    assert searchable() and await chroma_status() == "ok"
    counts = index_counts(settings, embedder)
    assert counts["chroma"] == counts["sqlite"] and counts["chroma_ids_match"]
