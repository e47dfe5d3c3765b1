"""Answer latency on a built index: how much an extractive answer costs over a bare search.

Answers (focus, passages ranked inside the paper, sentence choice, lists) add work to the
search they start from. This prints p50/p95 of both over the questions of an eval file, and
their ratio, measured in one run on one index:

    .venv/bin/notesbot ingest --notes-dir ../shared/notes --data-dir /tmp/nb
    .venv/bin/python bench/answer_latency.py tests/data/answers_eval.jsonl --data-dir /tmp/nb
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

from _jsquad import percentile

from bot.app.compose import build_runtime
from bot.app.settings import Settings
from bot.core.evaluation.retrieval import load_cases


async def measure(settings: Settings, questions: list[tuple[str, tuple]]) -> dict[str, list[float]]:
    runtime = build_runtime(settings)
    times: dict[str, list[float]] = {"search": [], "answer": []}
    try:
        for question, history in questions[:3]:  # warm caches (role model, catalog, glossary)
            await runtime.assistant.answer(question, history)
        for question, history in questions:
            start = time.perf_counter()
            await runtime.assistant.search(question, 20)
            times["search"].append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            await runtime.assistant.answer(question, history)
            times["answer"].append((time.perf_counter() - start) * 1000)
    finally:
        await runtime.aclose()
        runtime.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_file", type=Path)
    parser.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args()
    cases = load_cases(args.eval_file.read_text(encoding="utf-8").splitlines())
    settings = Settings(data_dir=args.data_dir)
    times = asyncio.run(measure(settings, [(c.q, c.history) for c in cases]))
    search, answer = times["search"], times["answer"]
    print(f"{len(cases)} questions, index {args.data_dir}")
    print("| step | p50 ms | p95 ms |\n|---|---|---|")
    for name, values in times.items():
        print(f"| {name} | {percentile(values, 50):.1f} | {percentile(values, 95):.1f} |")
    ratio = statistics.median(a / s for a, s in zip(answer, search, strict=True) if s > 0)
    print(f"answer ÷ search (median per question): {ratio:.1f}")


if __name__ == "__main__":
    main()
