"""What a model reads, sized to the model (issue 29): more passages for a larger window, drawn
from the answer's ranking and the search's, each once, best first and second best last."""

from __future__ import annotations

import pytest

from bot.core.answering.answer_sentences import Asked
from bot.core.answering.budget import LARGE, SMALL
from bot.core.answering.context import (
    context_pool,
    ends_first,
    estimate_tokens,
    numbered_context,
    pool_size,
)
from bot.core.models import Chunk
from tests.fakes.openai_fake import MODEL, quoting_responder
from tests.support import runtime_for


def asked(question: str, wanted: dict[str, float]) -> Asked:
    return Asked(question, wanted, str.split)


def chunk(n: int, body: str, source: str = "a.md", paper: str | None = None) -> Chunk:
    return Chunk(id=f"c{n}", source=source, heading=f"Title > 節 {n}", line_start=1, line_end=2,
                 body=body, paper=paper)


def test_best_first_second_best_last_and_the_weakest_in_the_middle():
    assert ends_first([1, 2, 3, 4, 5]) == [1, 3, 5, 4, 2]
    assert ends_first([1]) == [1] and ends_first([]) == []


def test_the_pool_grows_with_the_budget_and_reads_a_pasted_table_once():
    assert pool_size(750) == 6 and pool_size(1_500) == 7 and pool_size(LARGE) == 20
    assert pool_size(LARGE, cap=8) == 8
    table = "| a | b |\n|---|---|\n| 1 | 2 |"
    ranked = [chunk(1, "本文 です。"), chunk(2, table)]
    fused = [chunk(2, table), chunk(3, table, source="b.md"), chunk(4, "別の 本文。")]
    pool = context_pool(ranked, fused, 10)
    assert [c.id for c in pool] == ["c1", "c2", "c4"], "same id or same text: once"


def test_blocks_are_numbered_as_shown_and_name_their_paper_and_headings():
    passages = [chunk(n, f"文 {n} は 大事 です。", paper="Paper X") for n in range(1, 9)]
    context = numbered_context(passages, budget=4_000, asked=asked("大事 なのは？", {"大事": 1.0}))
    headers = [line for line in context.text.splitlines() if line.startswith("[")]
    assert headers[0] == "[1] Paper X › Title › 節 1", "a wide context names the headings"
    assert [c.id for c in context.passages] == ["c1", "c3", "c5", "c7", "c8", "c6", "c4", "c2"]
    assert all(h.startswith(f"[{n}] ") for n, h in enumerate(headers, 1))
    assert context.tokens == estimate_tokens(context.text)
    small = numbered_context(passages[:4], budget=SMALL,
                             asked=asked("大事 なのは？", {"大事": 1.0}))
    assert small.text.startswith("[1] Paper X › 節 1\n"), "a small one keeps headers short"


def test_a_wide_context_reads_a_short_line_whole_and_a_small_one_by_sentence():
    line = "Split 1000 classes into 2 groups. Each group has 500 classes."
    long_line = " ".join("A filler sentence is here." for _ in range(40))
    passages = [chunk(n, f"Other text {n}.") for n in range(1, 8)]
    passages[3] = chunk(4, f"{line}\n{long_line}")
    question = asked("How are the groups split?", {"groups": 1.0})
    wide = numbered_context(passages, budget=2_000, asked=question)
    assert line in wide.text.splitlines(), "the sentence that answers comes with the match"
    assert "A filler sentence is here." in wide.text.splitlines(), "a long line: by sentence"
    small = numbered_context(passages[3:4], budget=25, asked=question)
    assert "Split 1000 classes into 2 groups." in small.text.splitlines()
    assert "Each group has 500 classes." not in small.text, "a small budget keeps sentences"


@pytest.fixture
def shared_runtime(shared_index, embedder, openai_server):
    settings, _ = shared_index

    def make(**update):
        update = {"llm_base_url": openai_server.base_url, "llm_model": MODEL,
                  "llm_timeout": 5.0, **update}
        return runtime_for(settings.model_copy(update=update), embedder)

    return make


QUESTION = "VLog のモデルサイズは？"


async def test_a_32k_model_reads_4000_tokens_of_passages_and_cites_what_it_was_shown(
    shared_runtime, openai_server
):
    openai_server.model_fields = {"max_model_len": 32_768}
    openai_server.responder = quoting_responder
    runtime = shared_runtime()
    try:
        budget = await runtime.assistant.answerer.context_budget()
        answer = await runtime.assistant.answer(QUESTION)
    finally:
        await runtime.aclose()
        runtime.close()
    assert budget.tokens == LARGE and "window of 32,768 tokens" in budget.reason
    prompt = openai_server.chat_requests()[-1]["messages"][-1]["content"]
    blocks = [line for line in prompt.splitlines() if line.startswith("[")]
    assert len(blocks) > 6 and estimate_tokens(prompt) > 2 * SMALL
    assert answer.mode == "llm" and answer.citations
    first = next(line for line in blocks if line.startswith("[1] "))
    assert answer.citations[0].paper and answer.citations[0].paper in first


async def test_the_setting_wins_over_the_window(shared_runtime, openai_server):
    openai_server.model_fields = {"max_model_len": 32_768}
    runtime = shared_runtime(llm_context_tokens=SMALL)
    try:
        budget = await runtime.assistant.answerer.context_budget()
        await runtime.assistant.answer(QUESTION)
    finally:
        await runtime.aclose()
        runtime.close()
    assert (budget.tokens, budget.reason) == (SMALL, "NOTESBOT_LLM_CONTEXT_TOKENS")
    prompt = openai_server.chat_requests()[-1]["messages"][-1]["content"]
    assert len([line for line in prompt.splitlines() if line.startswith("[")]) <= 6
    assert not any(r.path == "/props" for r in openai_server.requests), "no probe needed"
