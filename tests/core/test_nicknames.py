"""Names a note gives a paper besides its title, and where they resolve."""

from __future__ import annotations

from bot.core.answering.focus import named_papers
from bot.core.catalog import build_catalog
from bot.core.models import PaperMention, SourceRef
from bot.core.nicknames import nicknames, venue_nicknames
from bot.core.notes import ChunkingOptions, parse_note
from bot.core.summaries import find_paper

ROWS = [
    "*Training Compute-Optimal Large Language Models* (Hoffmann et al.) | 2022, **arXiv** | "
    "最適関係（Chinchilla Law）を提唱。",
    "*Scaling Language Models: Methods, Analysis & Insights* (Rae et al.) | "
    "2021, **arXiv (Gopher)** | Web コーパスを精選。",
    "*Self-Improvement Paradox: Crescent* | 2025, arXiv | 数学 (GSM8K) で自己改善。",
]
SESSION = "# スケーリングの回\n\n## 論文一覧\n\n"
SESSION += "| # | タイトル | 会議/年 | 要約 |\n|---|---|---|---|\n"
SESSION += "".join(f"| {n} | {row} |\n" for n, row in enumerate(ROWS, 1))


def test_the_ways_notes_introduce_a_papers_name():
    title = "Monte Carlo Diffusion for Generalizable Learning-Based RANSAC"
    text = "提案手法であるMonte Carlo Diffusion（MCD）を用いた学習により"
    assert nicknames(title, text) == ["MCD"]
    assert nicknames("Emergent Language Plasticity via Multilingual Tokenizers",
                     "### Emergent…, arXiv 2025\n*Universal Tokenizer が unseen 言語へ適応*") == [
        "Universal Tokenizer"]
    assert nicknames("Training Compute-Optimal Large Language Models",
                     "Chinchilla Scaling Law を提示し、定量化。") == [
        "Chinchilla Scaling Law", "Chinchilla"]
    assert venue_nicknames("2021, **arXiv (Gopher)**") == ["Gopher"]


def test_concepts_the_paper_mentions_are_not_its_names():
    title = "Self-Taught Self-Correction for Small Language Models"
    text = "対象は Small Language Models (SLM) である。\n" * 2 + "(Hoffmann et al.) の議論"
    assert nicknames(title, text) == []
    assert nicknames(title, "以下の Self-Taught Self-Correction (STaSC) を採用") == ["STaSC"]


def test_a_session_table_gives_chinchilla_and_gopher_and_not_a_benchmark():
    note = parse_note("s.md", SESSION, options=ChunkingOptions(), content_hash="0" * 32)
    catalog = {p.title: p for p in build_catalog(note.mentions)}
    assert "Chinchilla" in catalog["Training Compute-Optimal Large Language Models"].nicknames
    assert catalog["Scaling Language Models: Methods, Analysis & Insights"].nicknames == ["Gopher"]
    assert catalog["Self-Improvement Paradox: Crescent"].nicknames == []
    papers = list(catalog.values())
    assert find_paper("Chinchilla", papers).title.startswith("Training Compute-Optimal")
    assert named_papers("Gopher のデータ品質の話", papers)[0].title.startswith("Scaling Language")


def test_a_name_two_papers_claim_names_neither():
    def mention(title: str, line: int) -> PaperMention:
        return PaperMention(title, SourceRef("n.md", "", line), nicknames=["FooNet"])

    papers = build_catalog([mention("Alpha Paper One", 1), mention("Beta Paper Two", 2)])
    assert all(p.nicknames == [] for p in papers)
