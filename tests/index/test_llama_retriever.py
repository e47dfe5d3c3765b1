"""The notes' search through llama-index's retriever interface: the same passages, in the
same order, with the note each came from."""

from __future__ import annotations

from llama_index.core.schema import QueryBundle

from bot.index.llama_retriever import NotesRetriever
from tests.conftest import SAMPLE_NOTES
from tests.support import run_ingest, searcher_for, settings_for


def test_a_llama_index_retriever_returns_the_searchs_passages_with_their_notes(
    tmp_path, embedder
):
    settings = settings_for(SAMPLE_NOTES, tmp_path / "data")
    run_ingest(settings, embedder)
    searcher, index = searcher_for(settings, embedder)
    try:
        question = "ColBERT late interaction"
        nodes = NotesRetriever(searcher=searcher, k=3).retrieve(QueryBundle(question))
        hits = searcher.search(question, k=3)
    finally:
        index.close()
    assert [n.node.node_id for n in nodes] == [h.chunk.id for h in hits] and len(nodes) == 3
    first = nodes[0]
    assert first.node.metadata["source"] == "2026-01-10_session.md"
    assert first.node.get_content() == hits[0].chunk.body
    assert first.score == hits[0].score
