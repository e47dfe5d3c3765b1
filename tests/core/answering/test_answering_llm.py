"""Answers through a real openai client and a fake OpenAI-compatible server."""

from __future__ import annotations

import time

import pytest

from bot.core.answers import Delta, Done, Restart, Turn
from tests.fakes.openai_fake import MODEL, Fault, Reply
from tests.support import runtime_for

TIMEOUT = 2.0
MARGIN = 1.0  # retrieval, prompt building and the extractive fallback


@pytest.fixture
async def runtime(sample_index, embedder, openai_server):
    settings = sample_index.model_copy(
        update={"llm_base_url": openai_server.base_url, "llm_model": MODEL, "llm_timeout": TIMEOUT}
    )
    runtime = runtime_for(settings, embedder)
    yield runtime
    await runtime.aclose()  # in the test's loop (bot.llm's client is an AsyncOpenAI)
    runtime.close()


def system_prompts(server) -> list[str]:
    return [body["messages"][0]["content"] for body in server.chat_requests()]


async def test_model_answer_keeps_valid_citations(runtime, openai_server):
    openai_server.script(Reply("自己注意だけで並列化できるため学習が速い [1]。"))
    answer = await runtime.assistant.answer("Transformer はなぜ学習が速い？")
    assert (answer.mode, answer.language, answer.notes) == ("llm", "ja", ())
    assert answer.text == "自己注意だけで並列化できるため学習が速い [1]。"
    assert answer.citations[0].source == "deep-dive_attention.md"
    user_prompt = openai_server.chat_requests()[0]["messages"][-1]["content"]
    assert "[1] Attention Is All You Need ›" in user_prompt
    assert "Transformer はなぜ学習が速い？" in user_prompt


async def test_invented_citations_and_links_never_reach_the_user(runtime, openai_server):
    openai_server.script(
        Reply(
            "並列化できる [1][9]。詳しくは https://arxiv.org/abs/2401.99999 と "
            "[原論文](http://arxiv.org/abs/1706.03762v7) を参照 [7]。"
        )
    )
    answer = await runtime.assistant.answer("Transformer はなぜ学習が速い？")
    prompt = openai_server.chat_requests()[0]["messages"][-1]["content"]
    given = prompt.count("\n[") + prompt.startswith("[")
    assert given < 7, "the scripted reply cites passages that were not given"
    assert "[9]" not in answer.text and "[7]" not in answer.text
    assert "2401.99999" not in answer.text
    assert "http://arxiv.org/abs/1706.03762v7" in answer.text, "a link from the notes stays"
    assert [c.n for c in answer.citations] == [1]
    assert any("removed citation [9]" in note for note in answer.notes)
    assert any("2401.99999" in note for note in answer.notes)


CASES = [
    ("429 then ok", [Fault.rate_limited(retry_after=1), Reply("回復しました [1]。")], "llm"),
    ("500 then ok", [Fault.server_error(500), Reply("回復しました [1]。")], "llm"),
    ("hang", [Fault.hang(10)], "extractive"),
    ("drop", [Fault.drop()] * 3, "extractive"),
    ("malformed", [Fault.malformed()] * 3, "extractive"),
    ("429 too long", [Fault.rate_limited(retry_after=60)], "extractive"),
]


@pytest.mark.parametrize(("label", "steps", "mode"), CASES, ids=[c[0] for c in CASES])
async def test_every_fault_still_gets_an_answer_in_time(runtime, openai_server, label, steps, mode):
    openai_server.script(*steps)
    started = time.monotonic()
    answer = await runtime.assistant.answer("Transformer はなぜ学習が速い？")
    elapsed = time.monotonic() - started
    assert elapsed < TIMEOUT + MARGIN, f"{label}: {elapsed:.2f}s"
    assert answer.mode == mode and answer.found and answer.citations
    if mode == "extractive":
        assert answer.text.startswith("言語モデルが応答しなかったため")
        assert any("language model failed" in note for note in answer.notes)


async def test_a_stream_cut_midway_restarts_with_the_extractive_answer(runtime, openai_server):
    openai_server.script(Fault.drop_mid_stream())
    events = [e async for e in runtime.assistant.stream("Transformer はなぜ学習が速い？")]
    kinds = [type(e) for e in events]
    assert kinds[0] is Delta and Restart in kinds and kinds[-1] is Done
    assert kinds.index(Restart) > 0 and events[-1].answer.mode == "extractive"


async def test_japanese_prompt_for_japanese_questions(runtime, openai_server):
    openai_server.script(Reply("ノートによると並列化できます [1]。"))
    await runtime.assistant.answer("Transformer はなぜ学習が速い？")
    (system,) = system_prompts(openai_server)
    assert "日本語で" in system and "Answer in English" not in system


async def test_english_question_rewritten_to_japanese_keywords_and_answered_in_english(
    runtime, openai_server
):
    openai_server.script(
        Reply("Q: Why does the Transformer train fast?\nK: 自己注意 並列化 Transformer"),
        Reply("Because attention parallelizes well [1]."),
    )
    answer = await runtime.assistant.answer("Why is it fast to train?")
    rewrite, final = system_prompts(openai_server)
    assert "Rewrite" in rewrite and "Answer in English" in final
    assert answer.language == "en" and answer.mode == "llm"
    assert answer.citations[0].source == "deep-dive_attention.md"


async def test_follow_ups_send_the_history_to_the_rewrite(runtime, openai_server):
    history = [Turn("user", "ColBERT について"), Turn("assistant", "遅延相互作用の手法です [1]。")]
    openai_server.script(
        Reply("Q: ColBERT の会議と年は？\nK: ColBERT SIGIR"), Reply("SIGIR 2020 です [1]。")
    )
    answer = await runtime.assistant.answer("それの会議は？", history)
    rewrite_request, answer_request = openai_server.chat_requests()
    assert "ColBERT について" in rewrite_request["messages"][-1]["content"]
    roles = [m["role"] for m in answer_request["messages"]]
    assert roles == ["system", "user", "assistant", "user"], "history travels with the question"
    assert answer.citations and answer.citations[0].paper.startswith("ColBERT")


async def test_a_japanese_question_search_is_unsure_of_gets_keywords_from_the_model(
    runtime, openai_server
):
    openai_server.model_fields = {"max_model_len": 32_768}  # a capable model: it may help
    openai_server.script(
        Reply("Q: BM25 を Python だけで速くする方法は？\nK: BM25S 疎行列 前計算 lexical search"),
        Reply("スコアを索引時に前計算して疎行列に格納する [1]。"),
    )
    answer = await runtime.assistant.answer("BM25 を Python だけで速くするには？")
    rewrite, final = openai_server.chat_requests()
    assert "K:" in rewrite["messages"][0]["content"] and not rewrite.get("stream")
    assert "BM25 を Python だけで速くするには？" in rewrite["messages"][-1]["content"]
    assert final.get("stream") and answer.mode == "llm"
    assert answer.citations[0].source == "paper-notes.txt"


async def test_a_question_that_names_its_paper_or_a_small_model_needs_no_rewrite(
    runtime, openai_server
):
    openai_server.model_fields = {"max_model_len": 32_768}
    openai_server.script(Reply("WMT 2014 英独で BLEU 28.4 [1]。"))
    await runtime.assistant.answer("Attention Is All You Need の BLEU は？")
    assert [bool(r.get("stream")) for r in openai_server.chat_requests()] == [True]


async def test_a_small_model_is_not_asked_to_rewrite_what_search_is_unsure_of(
    sample_index, embedder, openai_server
):
    openai_server.model_fields = {"max_model_len": 8_192}  # its first token stays fast
    settings = sample_index.model_copy(update={"llm_base_url": openai_server.base_url})
    runtime = runtime_for(settings, embedder)
    try:
        await runtime.assistant.answer("BM25 を Python だけで速くするには？")
    finally:
        await runtime.aclose()
        runtime.close()
    assert [bool(r.get("stream")) for r in openai_server.chat_requests()] == [True]


async def test_a_ready_tweet_that_fits_needs_no_model(runtime, openai_server):
    summary = await runtime.assistant.summarize("Attention Is All You Need")
    assert summary.origin == "tweet" and openai_server.chat_requests() == []


async def test_model_summary_is_checked_for_length_and_numbers(runtime, openai_server):
    openai_server.script(
        Reply("長" * 180),
        Reply("ColBERT は精度を 95% 改善した。"),
        Reply("「ColBERT はトークン単位の遅延相互作用で、精度と速度を両立した検索手法。」"),
    )
    summary = await runtime.assistant.summarize("ColBERT")
    assert summary.origin == "llm" and len(summary.text) <= 140
    assert summary.text == "ColBERT はトークン単位の遅延相互作用で、精度と速度を両立した検索手法。"
    _, second, third = openai_server.chat_requests()
    assert "180 字" in second["messages"][-1]["content"]
    assert "95" in third["messages"][-1]["content"]


async def test_model_failing_every_summary_try_falls_back_to_the_notes(runtime, openai_server):
    openai_server.script(*[Reply("x" * 200)] * 3)
    summary = await runtime.assistant.summarize("ColBERT")
    assert summary.origin == "extractive" and len(summary.text) <= 140
    assert len(openai_server.chat_requests()) == 3
