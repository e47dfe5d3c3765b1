"""The grounding guard: what a model may show as an answer."""

from __future__ import annotations

from bot.core.answering.grounding import check_grounding
from bot.core.models import Chunk

PASSAGE = Chunk(
    "c1", "n.md", "Block Diffusion > 6. コスト", 1, 3,
    "学習には A100 GPU を 8 枚使い、学習時間は 3 日でした。データセットは OpenWebText です。",
    paper="Block Diffusion",
)


def words(text: str) -> list[str]:
    return [w for w in text.replace("、", " ").replace("。", " ").split() if w]


def test_a_cited_answer_in_the_passages_words_is_shown():
    text = "学習には A100 GPU を 8 枚 使い 学習時間は 3 日 [1]。"
    result = check_grounding(text, [1], [PASSAGE], words)
    assert result.supported, result


def test_no_citation_is_not_shown():
    assert not check_grounding("A100 を 8 枚です。", [], [PASSAGE], words).supported


def test_numbers_and_names_no_passage_has_are_not_shown():
    result = check_grounding("H100 を 64 枚使いました [1]。", [1], [PASSAGE], words)
    assert not result.supported and "H100" in result.reason and "64" in result.reason


def test_an_invention_sharing_no_words_is_not_shown():
    text = "この手法は 決定木 に 着想 を 得た 生物学的 モデル です [1]。"
    assert not check_grounding(text, [1], [PASSAGE], words).supported


def test_an_english_answer_over_japanese_notes_is_judged_by_its_facts():
    ok = check_grounding("It trained on 8 A100 GPUs for 3 days [1].", [1], [PASSAGE], words)
    bad = check_grounding("It trained on 64 TPUs [1].", [1], [PASSAGE], words)
    assert ok.supported and not bad.supported
