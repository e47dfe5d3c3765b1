"""A weak local model (issue 13): it echoes the rewrite prompt's placeholders and answers
everything with an uncited invention. The user must still get the right note, never the
invention, and summaries must stay true and within 140 characters."""

from __future__ import annotations

import pytest

from bot.core.answers import Done, Restart, Turn
from bot.core.phrases import phrase
from tests.fakes.openai_fake import MODEL
from tests.support import runtime_for

INVENTION = (
    "This model is a kind of decision tree invented by Google in 1997, trained on 512 TPUs. "
    "It is inspired by biology."
)
SUMMARY_INVENTION = "1997年にGoogleが発表した決定木モデル。512台のTPUで学習し、精度は99.9%。"


def weak_model(body: dict) -> str:
    system = body["messages"][0]["content"]
    if "Q:" in system and "K:" in system:  # the rewrite prompt: echo its placeholders
        return "Q: <the standalone question, in English>\nK: <search keywords>"
    if "140" in system:
        return SUMMARY_INVENTION
    return INVENTION


@pytest.fixture
async def runtime(sample_index, embedder, openai_server):
    openai_server.responder = weak_model
    settings = sample_index.model_copy(
        update={"llm_base_url": openai_server.base_url, "llm_model": MODEL, "llm_timeout": 5.0}
    )
    runtime = runtime_for(settings, embedder)
    yield runtime
    await runtime.aclose()  # in the test's loop (bot.llm's client is an AsyncOpenAI)
    runtime.close()


async def test_ask_cites_the_right_note_and_never_shows_the_invention(runtime, openai_server):
    events = [e async for e in runtime.assistant.stream("What BLEU did the Transformer get?")]
    answer = events[-1].answer
    assert isinstance(events[-1], Done)
    assert any(isinstance(e, Restart) for e in events), "the streamed invention is withdrawn"
    assert answer.citations[0].source == "deep-dive_attention.md"
    assert "decision tree" not in answer.text and "1997" not in answer.text
    assert answer.mode == "extractive" and answer.text.startswith(phrase("unsupported_intro", "en"))
    assert any(n.startswith("model answer not supported") for n in answer.notes)
    assert len(openai_server.chat_requests()) == 2, "rewrite asked, answer asked"


async def test_a_follow_up_keeps_its_paper_when_the_rewrite_is_a_placeholder(runtime):
    history = [
        Turn("user", "ColBERT について教えて"),
        Turn("assistant", "ColBERT は遅延相互作用で照合する検索手法です [1]。"),
    ]
    answer = await runtime.assistant.answer("その論文の会議と年は？", history)
    assert any(c.paper and c.paper.startswith("ColBERT") for c in answer.citations), answer
    assert "SIGIR 2020" in answer.text and "decision tree" not in answer.text


async def test_summary_of_a_title_not_in_the_notes_says_so(runtime):
    assert await runtime.assistant.summarize("Quantum Gravity for Cats") is None
    text = await runtime.assistant.no_paper("Quantum Gravity for Cats", "en")
    assert text.startswith("No paper in the notes matches") and "Closest titles" in text


async def test_summary_of_a_paper_without_a_tweet_stays_true_and_short(runtime, openai_server):
    summary = await runtime.assistant.summarize("BM25S")
    assert summary is not None and summary.paper.startswith("BM25S")
    assert len(summary.text) <= 140 and summary.origin == "extractive"
    assert "1997" not in summary.text and "決定木" not in summary.text
    assert openai_server.chat_requests(), "the model was asked, and its drafts refused"
