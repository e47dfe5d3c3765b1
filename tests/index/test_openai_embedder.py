"""The OpenAI-compatible embedder (/v1/embeddings: OpenAI, vLLM, TEI) in a real ingest."""

from __future__ import annotations

from tests.conftest import SAMPLE_NOTES
from tests.fakes.openai_fake import Fault, fake_vector
from tests.support import index_counts, run_ingest, settings_for


def settings_with(server, tmp_path):
    return settings_for(
        SAMPLE_NOTES,
        tmp_path / "data",
        embed_backend="openai",
        embed_base_url=server.base_url,
        embed_model="fake-embedder",
        embed_batch_size=4,
    )


def test_ingest_and_search_with_a_remote_embedder(openai_server, tmp_path):
    from bot.app.compose import make_embedder, make_searcher, open_index

    settings = settings_with(openai_server, tmp_path)
    embedder = make_embedder(settings)
    report = run_ingest(settings, embedder)
    calls = [r.body for r in openai_server.requests if r.path == "/v1/embeddings"]
    texts = [text for call in calls for text in call["input"]]
    assert all(len(c["input"]) <= 4 for c in calls) and len(texts) == len(set(texts))
    counts = index_counts(settings, embedder)
    assert counts["chroma"] == report.chunks and counts["chroma_ids_match"]

    index = open_index(settings)
    try:
        assert index.cache.count() == len(texts), "each sentence and header embedded once"
        text = calls[0]["input"][0]
        hits = index.vectors.query(fake_vector(text), 1)
        assert hits[0][1] > 0.999, "the vector stored is the one the server returned"
        hits = make_searcher(settings, index).search("Sentence-BERT siamese", k=2)
        assert hits and hits[0].chunk.source == "paper-notes.txt"
    finally:
        index.close()


def test_e5_models_get_their_prefixes_on_a_server(openai_server, tmp_path):
    """vLLM serving multilingual-e5 needs "query: " / "passage: " like the packaged one."""
    from bot.app.compose import make_embedder

    settings = settings_with(openai_server, tmp_path).model_copy(
        update={"embed_model": "intfloat/multilingual-e5-large"}
    )
    embedder = make_embedder(settings)
    embedder.embed_documents(["学習率は 5e-4"])
    embedder.embed_query("learning rate")
    sent = [r.body["input"] for r in openai_server.requests if r.path == "/v1/embeddings"]
    assert sent == [["passage: 学習率は 5e-4"], ["query: learning rate"]]
    plain = make_embedder(settings.model_copy(update={"embed_model": "text-embedding-3-small"}))
    plain.embed_query("learning rate")
    assert openai_server.requests[-1].body["input"] == ["learning rate"]


def test_transient_errors_are_retried_and_order_is_kept(openai_server, tmp_path):
    from bot.app.compose import make_embedder

    embedder = make_embedder(settings_with(openai_server, tmp_path))
    openai_server.script_embeddings(Fault.server_error(503), Fault.drop())
    vectors = embedder.embed_documents(["a", "b", "c", "d", "e"])
    assert vectors == [fake_vector(t) for t in "abcde"]
    batches = [r.body["input"] for r in openai_server.requests]
    assert batches == [["a", "b", "c", "d"]] * 3 + [["e"]], "the failed batch was resent"
