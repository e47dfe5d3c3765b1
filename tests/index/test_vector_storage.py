"""What the index stores (issue 30): Chroma holds ids, vectors and the passage id deletes
filter by; the text lives once, in notes.sqlite3; a sentence is embedded once."""

from __future__ import annotations

from bot.app.compose import connect_chroma
from bot.core.answering.sentences import dense_texts
from tests.support import open_with, run_ingest, settings_for


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
