"""`notesbot ask`, `summary`, `chat` and `eval`: the assistant on the command line."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from bot.cli.common import DataOpt, JsonOpt, err, load_settings, out, require_index
from bot.cli.console import print_answer, print_eval, print_summary, stream_answer
from bot.config import Settings
from bot.core.answers import Turn
from bot.core.evaluation import EvalCase, EvalFileError, evaluate, load_cases
from bot.core.models import Hit
from bot.wiring import Runtime, build_runtime

T = TypeVar("T")
Question = Annotated[str, typer.Argument(help="Your question, in Japanese or English.")]


def register(app: typer.Typer) -> None:
    app.command()(ask)
    app.command()(summary)
    app.command()(chat)
    app.command(name="eval")(eval_)


def _runtime(data_dir: Path | None) -> tuple[Settings, Runtime]:
    settings = load_settings(data_dir=data_dir)
    require_index(settings)
    return settings, build_runtime(settings)


def _run(runtime: Runtime, work: Callable[[], Awaitable[T]]) -> T:
    """Run ``work`` in an event loop, then close the model client (in it) and the index."""

    async def main() -> T:
        try:
            return await work()
        finally:
            await runtime.aclose()

    try:
        return asyncio.run(main())
    finally:
        runtime.close()


def ask(question: Question, as_json: JsonOpt = False, data_dir: DataOpt = None) -> None:
    """Answer a question from your notes, with numbered sources."""
    _, runtime = _runtime(data_dir)
    if as_json:
        answer = _run(runtime, lambda: runtime.assistant.answer(question))
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
    else:
        print_answer(_run(runtime, lambda: stream_answer(runtime.assistant, question, [])))


def summary(
    query: Annotated[str, typer.Argument(help="Paper title, arXiv id, or words about it.")],
    as_json: JsonOpt = False,
    data_dir: DataOpt = None,
) -> None:
    """A paper from your notes in at most 140 characters, with its link."""
    _, runtime = _runtime(data_dir)
    result = _run(runtime, lambda: runtime.assistant.summarize(query))
    if result is None:
        err.print(f"no paper in the notes matches {query!r} (try `notesbot papers`)")
        raise typer.Exit(1)
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print_summary(result)


def chat(data_dir: DataOpt = None) -> None:
    """Talk with your notes: follow-up questions remember the conversation."""
    settings, runtime = _runtime(data_dir)
    mode = "LLM" if runtime.assistant.has_llm else "extractive (no LLM configured)"
    err.print(f"notesbot chat — {mode}. /new forgets the conversation, /paper X summarizes, "
              "Ctrl-D quits.", highlight=False)
    _run(runtime, lambda: _chat_loop(runtime, settings.history_turns))


async def _chat_loop(runtime: Runtime, keep: int) -> None:
    history: list[Turn] = []
    while True:
        try:
            line = (await asyncio.to_thread(out.input, "[bold cyan]you›[/] ")).strip()
        except (EOFError, KeyboardInterrupt):
            err.print()
            return
        if not line:
            continue
        if line in ("/quit", "/exit"):
            return
        if line == "/new":
            history.clear()
            err.print("(conversation forgotten)")
            continue
        if line.startswith("/paper "):
            found = await runtime.assistant.summarize(line.removeprefix("/paper ").strip())
            if found is None:
                err.print("no such paper in the notes")
            else:
                print_summary(found)
            continue
        answer = await stream_answer(runtime.assistant, line, history)
        print_answer(answer)
        history = [*history, Turn("user", line), Turn("assistant", answer.text)][-2 * keep :]


def eval_(
    file: Annotated[Path, typer.Argument(help='JSONL: {"q", "source", "keys"} per line.')],
    k: Annotated[int, typer.Option("-k", min=1, max=50, help="Hits per question.")] = 10,
    answers: Annotated[
        bool, typer.Option("--answers", help="Also answer each question and check citations.")
    ] = False,
    as_json: JsonOpt = False,
    data_dir: DataOpt = None,
) -> None:
    """Measure retrieval on your own questions: R@1, R@5, MRR, and refusals."""
    try:
        cases = load_cases(file.read_text(encoding="utf-8").splitlines())
    except (OSError, EvalFileError) as exc:
        err.print(f"[red]cannot use {file}:[/] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    settings, runtime = _runtime(data_dir)

    async def work() -> tuple[list[list[Hit]], float | None]:
        results = [await runtime.assistant.search(c.q, k) for c in cases]
        return results, (await _citation_validity(runtime, cases) if answers else None)

    results, validity = _run(runtime, work)
    report = evaluate(cases, results, settings.answer_min_relevance)
    if as_json:
        print(json.dumps({**report.to_json(), "citation_validity": validity}, indent=2))
        return
    print_eval(report, validity, file.name)


async def _citation_validity(runtime: Runtime, cases: Sequence[EvalCase]) -> float | None:
    """Share of model answers whose citations and links all checked out (None: no model)."""
    if not runtime.assistant.has_llm:
        return None
    answers = [await runtime.assistant.answer(case.q) for case in cases if case.answerable]
    by_model = [a for a in answers if a.mode == "llm"]
    clean = [a for a in by_model if not any(n.startswith("removed") for n in a.notes)]
    return len(clean) / len(by_model) if by_model else None
