"""Hybrid search over the user's real notes: the right file and passage in the top 3."""

from __future__ import annotations

import pytest

from tests.support import index_counts, searcher_for

# (query, file prefix, text the passage must contain)
CASES = [
    ("マトリョーシカ表現学習はどんな手法？", "000", "Matryoshka Representation Learning"),
    ("cross-encoder zero-shot retrieval", "000", "In Defense of Cross-Encoders"),
    ("LoRA の表現力の理論", "001", "Expressive Power of Low-Rank Adaptation"),
    ("tokenizer fertility metric", "001", "fertility"),
    ("エッジデバイス向けの医療アシスタント", "002", "Multi Agent based Medical Assistant"),
    ("Block Diffusion autoregressive", "002", "Block Diffusion"),
    ("テキストチャンキングの混合学習器", "002", "MoC"),
    ("quantizing LLMs for code generation", "002", "Quantizing Large Language Models"),
    ("Chinchilla の計算最適なスケーリング", "003", "Training Compute-Optimal"),
    ("model merging with permutations", "003", "PLeaS"),
    ("Modded-NanoGPT", "004", "Modded-NanoGPT"),
    ("潜在変数に条件付けるデコーダー", "004", "The Free Transformer"),
    ("NV-Embed latent attention", "004", "NV-Embed"),
]


@pytest.fixture(scope="module")
def searcher(shared_index, embedder):
    settings, _ = shared_index
    searcher, index = searcher_for(settings, embedder)
    yield searcher
    index.close()


def test_ingest_of_real_notes_is_complete(shared_index, embedder):
    settings, report = shared_index
    assert len(report.indexed) == 5 and not report.skipped
    counts = index_counts(settings, embedder)
    assert counts["sqlite"] == counts["chroma"] == counts["bm25"] == report.chunks > 100
    assert counts["chroma_ids_match"] and counts["bm25_ids_match"]


@pytest.mark.parametrize(("query", "prefix", "needle"), CASES)
def test_right_file_and_passage_in_top3(searcher, query, prefix, needle):
    hits = searcher.search(query, k=3)
    assert any(
        hit.chunk.source.startswith(prefix)
        and needle.lower() in (hit.chunk.text + (hit.chunk.paper or "")).lower()
        for hit in hits
    ), [(h.chunk.source, h.chunk.paper, h.chunk.body[:60]) for h in hits]


def test_hits_are_distinct_passages_with_relative_sources(searcher, shared_notes):
    hits = searcher.search("Transformer", k=10)
    assert len(hits) == 10
    assert len({(h.chunk.source, h.chunk.line_start) for h in hits}) == 10
    assert [h.rank for h in hits] == list(range(1, 11))
    assert all((shared_notes / h.chunk.source).is_file() for h in hits)
    assert hits == sorted(hits, key=lambda h: -h.score)
    assert set(hits[0].to_json()) >= {"rank", "score", "source", "heading", "paper", "url", "text"}


def test_arxiv_url_travels_with_deep_dive_hits(searcher):
    hit = searcher.search("WildIFEval instruction following", k=1)[0]
    assert hit.chunk.url and "2503.06573" in hit.chunk.url
