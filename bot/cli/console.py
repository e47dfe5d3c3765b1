"""Rendering answers, summaries and eval reports on a terminal (rich)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.live import Live
from rich.markdown import Markdown

from bot.cli.common import err, out
from bot.core.answers import Answer, Delta, Done, Restart, Summary, Turn
from bot.core.assistant import Assistant
from bot.core.evaluation.retrieval import EvalReport


async def stream_answer(assistant: Assistant, question: str, history: Sequence[Turn]) -> Answer:
    """Show the answer as it is written (on a terminal), and return the checked final one."""
    text = ""
    live = Live(console=out, transient=True, auto_refresh=False) if out.is_terminal else None
    if live:
        live.start()
    try:
        async for event in assistant.stream(question, history):
            if isinstance(event, Delta):
                text += event.text
            elif isinstance(event, Restart):
                text = ""
            elif isinstance(event, Done):
                return event.answer
            if live:
                live.update(Markdown(text), refresh=True)
    finally:
        if live:
            live.stop()  # transient: the final, checked answer replaces the draft
    raise AssertionError("the answer stream ended without a final answer")


def print_answer(answer: Answer) -> None:
    if out.is_terminal:
        out.print(Markdown(answer.text))
    else:  # piped: the Markdown itself, uncropped, for scripts and files
        out.print(answer.text, markup=False, highlight=False)
    if answer.citations:
        out.print()
        out.print("[bold]Sources[/]")
    for c in answer.citations:
        where = " › ".join(part for part in (c.source, c.heading) if part)
        out.print(f"  [{c.n}] {where} (lines {c.line_start}-{c.line_end})", markup=False)
        if c.url:
            out.print(f"      {c.url}", markup=False, highlight=False)
    mode = "LLM" if answer.mode == "llm" else "extractive"
    extra = "; ".join(answer.notes)
    err.print(f"({mode}{'; ' + extra if extra else ''})", markup=False, highlight=False)


def print_summary(summary: Summary) -> None:
    out.print(f"[bold]{summary.paper}[/]", highlight=False)
    out.print(summary.text, markup=False, highlight=False)
    if summary.url:
        out.print(summary.url, markup=False, highlight=False)
    where = " › ".join(p for p in (summary.source.source, summary.source.heading) if p)
    err.print(
        f"({len(summary.text)} characters, {summary.origin}; {where})", markup=False,
        highlight=False,
    )


def print_eval(report: EvalReport, validity: float | None, name: str) -> None:
    out.print(
        f"{name}: {report.answerable} answerable, {report.unanswerable} unanswerable questions"
    )
    recall = "  ".join(f"R@{k} {v:.3f}" for k, v in report.recall.items())
    out.print(f"{recall}  MRR {report.mrr:.3f}")
    out.print(
        f"at min relevance {report.threshold:g}: gold passage kept for {report.kept}/"
        f"{report.answerable} answerable; {report.refused}/{report.unanswerable} unanswerable "
        "refused"
    )
    if validity is not None:
        out.print(f"citation validity (answers with nothing removed): {validity:.3f}")
    out.print("[dim]threshold sweep: t kept refused[/]")
    for threshold, kept, refused in report.sweep:
        out.print(f"[dim]  {threshold:.2f} {kept:3d} {refused:3d}[/]")
