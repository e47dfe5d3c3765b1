"""Prompt tokens and time to first token per passages budget, against a real OpenAI-compatible
server (issue 29: the budget follows the model's context window).

A small model on a CPU spends most of an answer reading the prompt, so what the answer prompt
holds is the latency. For each budget (and first the one chosen for this server, with why),
each question is answered as a user would ask it; the time to the first answer token counts
from the question (a query rewrite included). The answer's messages are then sent again with
max_tokens=1 to read the server's own ``usage`` count:

    ../shared/tools/local-llm.sh build && ../shared/tools/local-llm.sh 8077
    NOTESBOT_LLM_BASE_URL=http://127.0.0.1:8077/v1 .venv/bin/python bench/llm_prompt_budget.py \\
        tests/data/answers_eval.jsonl --data-dir /tmp/nb -n 8 --budgets 750,1500,4000
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

from openai import AsyncOpenAI

from bot.app.compose import build_runtime, make_chat_model
from bot.app.settings import Settings
from bot.core.answers import Delta
from bot.core.evaluation.retrieval import load_cases
from bot.core.llm import ChatModel, Message, Window


class Recording:
    """A ChatModel that remembers the messages of every streamed (answer) request."""

    def __init__(self, inner: ChatModel) -> None:
        self.inner, self.name = inner, inner.name
        self.answers: list[list[Message]] = []

    async def complete(self, messages: Sequence[Message], *, max_tokens: int | None = None) -> str:
        return await self.inner.complete(messages, max_tokens=max_tokens)

    def stream(self, messages: Sequence[Message], *, max_tokens: int | None = None
               ) -> AsyncIterator[str]:
        self.answers.append(list(messages))
        return self.inner.stream(messages, max_tokens=max_tokens)

    async def context_window(self) -> Window:
        return await self.inner.context_window()

    async def aclose(self) -> None:
        await self.inner.aclose()


async def measure(settings: Settings, questions: list[tuple[str, tuple]]) -> tuple[str, list]:
    """(the budget and why, [(question, prompt tokens, seconds to the first token)])."""
    inner = make_chat_model(settings)
    assert inner is not None, "set NOTESBOT_LLM_BASE_URL"
    recording = Recording(inner)
    runtime = build_runtime(settings, chat=recording)
    client = AsyncOpenAI(base_url=settings.llm_base_url, api_key="none", timeout=600)
    model = (await client.models.list()).data[0].id
    budget = (await runtime.assistant.answerer.context_budget()).describe()
    rows = []
    try:
        for question, history in questions:
            recording.answers.clear()
            start, first = time.perf_counter(), None
            async for event in runtime.assistant.answerer.stream(question, history):
                if isinstance(event, Delta) and first is None:
                    first = time.perf_counter() - start
            if not recording.answers or first is None:
                continue  # answered without the model (a list, "not found", a failure)
            reply = await client.chat.completions.create(
                model=model, messages=recording.answers[-1], max_tokens=1
            )
            rows.append((question, reply.usage.prompt_tokens if reply.usage else 0, first))
    finally:
        await client.close()
        await runtime.aclose()
        runtime.close()
    return budget, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_file", type=Path)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("-n", type=int, default=8, help="answerable test questions, in order")
    parser.add_argument("--budgets", default="", help="also these, e.g. 750,1500,4000")
    parser.add_argument("--rows", action="store_true", help="print every question's numbers")
    args = parser.parse_args()
    cases = load_cases(args.eval_file.read_text(encoding="utf-8").splitlines())
    chosen = [c for c in cases if c.answerable and c.split == "test" and c.kind != "list"]
    questions = [(c.q, c.history) for c in chosen[: args.n]]
    print("| budget | answers by the model | prompt tokens p50 (max) | first token p50 (max) |")
    print("|---|---|---|---|")
    for tokens in [None, *(int(b) for b in args.budgets.split(",") if b)]:
        settings = Settings(data_dir=args.data_dir, llm_timeout=300, llm_context_tokens=tokens)
        budget, rows = asyncio.run(measure(settings, questions))
        if args.rows:
            for question, used, seconds in rows:
                print(f"|  | {question[:40]} | {used} | {seconds:.1f} s |")
        if not rows:
            print(f"| {budget} | 0 (did not fit the window, or the model failed) | | |")
            continue
        used, seconds = [r[1] for r in rows], [r[2] for r in rows]
        print(f"| {budget} | {len(rows)} | {statistics.median(used):.0f} ({max(used)}) | "
              f"{statistics.median(seconds):.1f} s ({max(seconds):.1f} s) |")


if __name__ == "__main__":
    main()
