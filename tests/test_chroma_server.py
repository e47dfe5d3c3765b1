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
