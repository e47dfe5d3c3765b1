"""`notesbot ask`, `summary`, `chat` and `eval`: the assistant on the command line."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from bot.app.compose import Runtime, build_runtime
from bot.app.settings import Settings
from bot.cli.common import DataOpt, JsonOpt, err, load_settings, out, require_index
from bot.cli.console import print_answer, print_summary, stream_answer
from bot.core.answers import Summary, Turn
from bot.core.text import language_of

T = TypeVar("T")
Question = Annotated[str, typer.Argument(help="Your question, in Japanese or English.")]


def register(app: typer.Typer) -> None:
    app.command()(ask)
    app.command()(summary)
    app.command()(chat)


def runtime_for(data_dir: Path | None) -> tuple[Settings, Runtime]:
    settings = load_settings(data_dir=data_dir)
    require_index(settings)
    return settings, build_runtime(settings)


def run_in_loop(runtime: Runtime, work: Callable[[], Awaitable[T]]) -> T:
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
    _, runtime = runtime_for(data_dir)
    if as_json:
        answer = run_in_loop(runtime, lambda: runtime.assistant.answer(question))
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
    else:
        print_answer(run_in_loop(runtime, lambda: stream_answer(runtime.assistant, question, [])))


def summary(
    query: Annotated[str, typer.Argument(help="Paper title, arXiv id, or words about it.")],
    as_json: JsonOpt = False,
    data_dir: DataOpt = None,
) -> None:
    """A paper from your notes in at most 140 characters, with its link."""
    _, runtime = runtime_for(data_dir)

    async def work() -> tuple[Summary | None, str]:
        found = await runtime.assistant.summarize(query)
        missing = "" if found else await runtime.assistant.no_paper(query, language_of(query))
        return found, missing

    result, missing = run_in_loop(runtime, work)
    if result is None:
        err.print(f"{missing}\n(`notesbot papers` lists them all)", markup=False, highlight=False)
        raise typer.Exit(1)
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print_summary(result)


def chat(data_dir: DataOpt = None) -> None:
    """Talk with your notes: follow-up questions remember the conversation."""
    settings, runtime = runtime_for(data_dir)
    mode = "LLM" if runtime.assistant.has_llm else "extractive (no LLM configured)"
    err.print(f"notesbot chat — {mode}. /new forgets the conversation, /paper X summarizes, "
              "Ctrl-D quits.", highlight=False)
    run_in_loop(runtime, lambda: _chat_loop(runtime, settings.history_turns))


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
