"""Answers and summaries over the format zoo (tests/data/formats), with no LLM: each note,
whatever its format, answers for its paper, cites itself and never quotes its metadata."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core.evaluation.answers import states
from tests.support import run_ingest, runtime_for, settings_for

ZOO = Path(__file__).resolve().parents[2] / "data" / "formats"


@pytest.fixture(scope="module")
def runtime(embedder, tmp_path_factory):
    notes = tmp_path_factory.mktemp("zoo") / "notes"
    shutil.copytree(ZOO, notes, ignore=shutil.ignore_patterns("README.md"))
    settings = settings_for(notes, tmp_path_factory.mktemp("zoo-data"))
    report = run_ingest(settings, embedder)
    assert len(report.warnings) == 2, "the two malformed front matter blocks, one line each"
    runtime = runtime_for(settings, embedder)
    yield runtime
    runtime.close()


@pytest.mark.parametrize(
    ("question", "source", "keys"),
    [
        ("Focal Loss で γ はいくつが一番よかった？",
         "jekyll/2019-05-25-Focal-Loss-for-Dense-Object-Detection.md", ["γ = 2"]),
        ("How many attention heads does the Transformer's multi-head attention run?",
         "obsidian/Attention Is All You Need.md", ["8 heads"]),
        ("BERT-Large のパラメータ数は？", "pandoc/BERT.md", ["340M"]),
        ("What accuracy did MAML reach on 5-way 1-shot Omniglot?",
         "english/model-agnostic-meta-learning.md", ["98.7%"]),
        ("点群をボクセルに変換せずそのまま入力して、点の順序に依らない分類をするネットワークの論文はどれ？",
         "heading-metadata/PointNet.md", ["PointNet"]),
        ("ResNet はどうやって評価した？", "hugo/deep-residual-learning.md", ["3.57%"]),
        ("Denoising Diffusion Probabilistic Models の拡散のステップ数は？",
         "filename/2006.11239.md", ["1000"]),
    ],
)
async def test_each_format_answers_for_its_paper(runtime, question, source, keys):
    answer = await runtime.assistant.answer(question)
    assert answer.found, answer.text
    assert source in {c.source for c in answer.citations}, answer.text
    cited = " ".join(c.paper or "" for c in answer.citations)
    assert all(states(f"{answer.text}\n{cited}", key) for key in keys), answer.text


async def test_metadata_is_never_quoted(runtime):
    answer = await runtime.assistant.answer("PointNet の論文の公開ページとGithub Issuesは？")
    for fragment in ("Github Issues", "元の論文の公開ページ", "Cite:"):
        assert fragment not in answer.text


@pytest.mark.parametrize(
    ("query", "title", "starts"),
    [
        ("SimSiam", None, None),
        ("ResNet", "Deep Residual Learning for Image Recognition", "Very deep networks"),
        ("1810.04805", "BERT: Pre-training of Deep Bidirectional Transformers for Language "
         "Understanding", "マスクした単語を"),
        ("Focal Loss for Dense Object Detection", "Focal Loss for Dense Object Detection",
         "一段階の物体検出器で"),
    ],
)
async def test_summary_finds_papers_by_title_other_name_or_arxiv_id(runtime, query, title, starts):
    summary = await runtime.assistant.summarize(query)
    if title is None:
        assert summary is None
        return
    assert summary is not None and summary.paper == title
    assert summary.text.startswith(starts) and len(summary.text) <= 140
