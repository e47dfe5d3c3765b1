"""Answers with no LLM configured: cited excerpts, in the question's language, never invented."""

from __future__ import annotations

import pytest

from bot.core.answers import Done, Turn
from bot.core.phrases import phrase
from tests.conftest import SAMPLE_NOTES
from tests.support import runtime_for


@pytest.fixture(scope="module")
def assistant(sample_index, embedder):
    runtime = runtime_for(sample_index, embedder)
    yield runtime.assistant
    runtime.close()


def assert_citations_point_at_real_lines(answer):
    assert answer.citations
    for c in answer.citations:
        lines = (SAMPLE_NOTES / c.source).read_text(encoding="utf-8").split("\n")
        assert 1 <= c.line_start <= c.line_end <= len(lines)
        assert lines[c.line_start - 1].strip(), "a citation starts on a line of text"
    numbers = [c.n for c in answer.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    for n in numbers:
        assert f"[{n}]" in answer.text


async def test_japanese_question_gets_a_japanese_cited_excerpt(assistant):
    answer = await assistant.answer("Transformer はなぜ学習が速いのですか？")
    assert (answer.mode, answer.language, answer.found) == ("extractive", "ja", True)
    assert answer.text.startswith(phrase("extractive_intro", "ja"))
    assert "並列" in answer.text
    assert answer.citations[0].source == "deep-dive_attention.md"
    assert answer.citations[0].url == "http://arxiv.org/abs/1706.03762v7"
    assert_citations_point_at_real_lines(answer)


async def test_english_question_gets_an_english_answer(assistant):
    answer = await assistant.answer("What BLEU score did the Transformer reach on WMT 2014?")
    assert (answer.mode, answer.language) == ("extractive", "en")
    assert answer.text.startswith(phrase("extractive_intro", "en"))
    assert "28.4" in answer.text
    assert_citations_point_at_real_lines(answer)


@pytest.mark.parametrize(
    ("question", "lang"),
    [("今日の東京の天気は？", "ja"), ("How do I bake sourdough bread?", "en"), ("   ", "en")],
)
async def test_unrelated_questions_are_answered_plainly_not_invented(assistant, question, lang):
    answer = await assistant.answer(question)
    assert not answer.found and answer.citations == ()
    assert answer.text == phrase("not_found", lang)


async def test_a_follow_up_borrows_the_previous_question(assistant):
    history = [
        Turn("user", "ColBERT について教えて"),
        Turn("assistant", "ColBERT は遅延相互作用で照合する検索手法です [1]。"),
    ]
    answer = await assistant.answer("その論文の会議と年は？", history)
    assert any(c.paper and c.paper.startswith("ColBERT") for c in answer.citations), answer
    assert "SIGIR 2020" in answer.text


async def test_a_question_asked_again_after_not_found_is_not_about_the_nearby_papers(
    assistant,
):
    """The "not found" reply lists nearby papers; asking again (the note saved since) is no
    follow-up about them."""
    question = "セッションで議論した RAG の評価方法は？"
    not_found = phrase("not_found", "ja") + "\n\n" + phrase("closest_papers", "ja")
    listed = f"{not_found}\n- Attention Is All You Need"
    history = [Turn("user", question), Turn("assistant", listed)]
    answer = await assistant.answer(question, history)
    assert [c.source for c in answer.citations][:1] == ["2026-01-10_session.md"], answer
    assert "Attention" not in answer.text


async def test_stream_ends_with_exactly_one_done(assistant):
    events = [e async for e in assistant.stream("Sentence-BERT とは")]
    assert isinstance(events[-1], Done) and sum(isinstance(e, Done) for e in events) == 1
    assert events[-1].answer.citations[0].source == "paper-notes.txt"
