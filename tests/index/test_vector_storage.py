"""What the index stores (issue 30): Chroma holds ids, vectors and the passage id deletes
filter by; the text lives once, in notes.sqlite3; a sentence is embedded once."""

from __future__ import annotations

from bot.app.compose import connect_chroma
from bot.core.answering.sentences import dense_texts
from tests.conftest import SAMPLE_NOTES
from tests.support import index_counts, open_with, run_ingest, settings_for


def test_chroma_keeps_no_text_and_one_metadata_field(tmp_path, embedder):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text(
        "# Paper A\n\n## 手法\n\n重みを三値に量子化する。\n\n"
        "$$W = \\mathrm{RoundClip}(W / \\gamma)$$\n\n同じ文は一度だけ埋め込まれる。\n",
        encoding="utf-8",
    )
    (notes / "b.md").write_text("# Paper B\n\n同じ文は一度だけ埋め込まれる。\n", encoding="utf-8")
    settings = settings_for(notes, tmp_path / "data")
    run_ingest(settings, embedder)
    client = connect_chroma(data_dir=tmp_path / "data", host=None, port=0, timeout=5.0)
    stored = client.list_collections()[0].get(include=["documents", "metadatas"])
    assert stored["ids"] and all(doc is None for doc in stored["documents"])
    assert all(set(meta) == {"chunk"} for meta in stored["metadatas"])
    assert all(entry.rsplit("#", 1)[0] == meta["chunk"]
               for entry, meta in zip(stored["ids"], stored["metadatas"], strict=True))
    index = open_with(settings, embedder)
    try:
        cached = index.cache.count()
        bodies = [c.body for c in index.store.chunks_by_id(index.store.chunk_ids()).values()]
    finally:
        index.close()
    texts = [t for body in bodies for t in dense_texts(body)]
    assert texts.count("同じ文は一度だけ埋め込まれる。") == 2
    assert cached == len(set(texts)), "a sentence in two notes is embedded once"


def test_a_one_shot_ingest_lets_the_models_go_and_they_come_back_on_use(tmp_path):
    # The CLI's ingest releases the embedder and Sudachi before Chroma grows (peak memory):
    # whoever asks next gets the same answers from a fresh load.
    from bot.index.embedders import E5Embedder
    from bot.index.tokenizer import JapaneseTokenizer

    tokenizer, embedder = JapaneseTokenizer(), E5Embedder()
    words = tokenizer.tokenize("学習データは gpt-4o-mini で生成した。")
    vector = embedder.embed_query("学習データ")
    tokenizer.release()
    embedder.release()
    assert tokenizer.tokenize("学習データは gpt-4o-mini で生成した。") == words
    assert embedder.embed_query("学習データ") == vector


def test_passages_committed_before_the_vectors_were_written_get_them_from_the_cache(
    tmp_path, embedder
):
    # The state a kill leaves between reading the notes and writing Chroma: SQLite has every
    # passage, Chroma none of their vectors, the run marked dirty. The next run writes them
    # from the cache: no note is read again, no text embedded again.
    settings = settings_for(SAMPLE_NOTES, tmp_path / "data")
    run_ingest(settings, embedder)
    want = index_counts(settings, embedder)
    index = open_with(settings, embedder)
    try:
        index.vectors.delete(index.store.chunk_ids())
        index.store.set_meta("dirty", "1")
        assert index.vectors.count() == 0
    finally:
        index.close()
    report = run_ingest(settings, embedder)
    assert report.repaired and not report.indexed and report.unchanged == want["files"]
    assert index_counts(settings, embedder) == want

