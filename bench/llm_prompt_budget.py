"""Prompt tokens per question and time to first token against a real OpenAI-compatible server.

A small model on a CPU spends most of an answer reading the prompt, so what the answer prompt
holds is the latency. For each question this records the messages the answer step sends, then
sends them again with max_tokens=1 (no streaming) to read the server's own ``usage`` count;
time the prompt processing, which is the first-token time a user waits for:

    ../shared/tools/local-llm.sh build && ../shared/tools/local-llm.sh 8077
    NOTESBOT_LLM_BASE_URL=http://127.0.0.1:8077/v1 .venv/bin/python bench/llm_prompt_budget.py \\
        tests/data/answers_eval.jsonl --data-dir /tmp/nb -n 12
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
from bot.core.evaluation.retrieval import load_cases
from bot.core.llm import ChatModel, Message


class Recording:
    """A ChatModel that remembers the messages of every streamed (answer) request and the
    seconds to its first delta."""

    def __init__(self, inner: ChatModel) -> None:
        self.inner, self.name = inner, inner.name
        self.answers: list[list[Message]] = []
        self.first_token: list[float] = []

    async def complete(self, messages: Sequence[Message], *, max_tokens: int | None = None) -> str:
        return await self.inner.complete(messages, max_tokens=max_tokens)

    def stream(self, messages: Sequence[Message], *, max_tokens: int | None = None
               ) -> AsyncIterator[str]:
        self.answers.append(list(messages))
        return self._timed(self.inner.stream(messages, max_tokens=max_tokens))

    async def _timed(self, deltas: AsyncIterator[str]) -> AsyncIterator[str]:
        start, first = time.perf_counter(), True
        async for delta in deltas:
            if first:
                self.first_token.append(time.perf_counter() - start)
                first = False
            yield delta

    async def aclose(self) -> None:
        await self.inner.aclose()


async def measure(settings: Settings, questions: list[tuple[str, tuple]]) -> list[tuple]:
    inner = make_chat_model(settings)
    assert inner is not None, "set NOTESBOT_LLM_BASE_URL"
    recording = Recording(inner)
    runtime = build_runtime(settings, chat=recording)
    client = AsyncOpenAI(base_url=settings.llm_base_url, api_key="none", timeout=600)
    model = (await client.models.list()).data[0].id
    rows = []
    try:
        for question, history in questions:
            recording.answers.clear()
            recording.first_token.clear()
            await runtime.assistant.answer(question, history)
            if not recording.answers or not recording.first_token:
                continue  # answered without the model (a list, "not found", a failure)
            reply = await client.chat.completions.create(
                model=model, messages=recording.answers[-1], max_tokens=1
            )
            tokens = reply.usage.prompt_tokens if reply.usage else 0
            rows.append((question, tokens, recording.first_token[-1]))
    finally:
        await client.close()
        await runtime.aclose()
        runtime.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_file", type=Path)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("-n", type=int, default=12, help="answerable test questions, in order")
    args = parser.parse_args()
    cases = load_cases(args.eval_file.read_text(encoding="utf-8").splitlines())
    chosen = [c for c in cases if c.answerable and c.split == "test" and c.kind != "list"]
    settings = Settings(data_dir=args.data_dir, llm_timeout=300)
    rows = asyncio.run(measure(settings, [(c.q, c.history) for c in chosen[: args.n]]))
    print("| question | prompt tokens | first token s |\n|---|---|---|")
    for question, tokens, seconds in rows:
        print(f"| {question[:40]} | {tokens} | {seconds:.1f} |")
    tokens = [r[1] for r in rows]
    seconds = [r[2] for r in rows]
    print(f"\n{len(rows)} answers by the model: prompt tokens p50 {statistics.median(tokens):.0f} "
          f"max {max(tokens)}; first token p50 {statistics.median(seconds):.1f} s "
          f"max {max(seconds):.1f} s")


if __name__ == "__main__":
    main()
