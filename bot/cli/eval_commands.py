"""`notesbot eval`: retrieval recall on your own questions, and with --answers, the answers."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from bot.app.compose import Runtime
from bot.cli.answer_commands import run_in_loop, runtime_for
from bot.cli.common import DataOpt, JsonOpt, err, out
from bot.cli.console import print_eval
from bot.core.answering.context import estimate_tokens
from bot.core.answers import Answer
from bot.core.evaluation.answers import AnswerReport, judge, select, states
from bot.core.evaluation.retrieval import EvalCase, EvalFileError, evaluate, load_cases
from bot.core.llm import Message
from bot.core.models import Chunk, Hit

BUDGETS = (750, 1_500, 4_000, 8_000)  # tokens of passages the report compares


def register(app: typer.Typer) -> None:
    app.command(name="eval")(eval_)


def eval_(
    file: Annotated[Path, typer.Argument(help='JSONL: {"q", "source", "keys"} per line.')],
    k: Annotated[int, typer.Option("-k", min=1, max=50, help="Hits per question.")] = 10,
    answers: Annotated[
        bool, typer.Option("--answers", help="Also answer each question and judge the answer.")
    ] = False,
    split: Annotated[
        str, typer.Option("--split", help="Rows of this split only: test, dev or all.")
    ] = "all",
    as_json: JsonOpt = False,
    data_dir: DataOpt = None,
) -> None:
    """Measure retrieval (R@1, R@5, MRR, refusals) and, with --answers, the answers per kind."""
    try:
        cases = select(load_cases(file.read_text(encoding="utf-8").splitlines()), split)
    except (OSError, EvalFileError) as exc:
        err.print(f"[red]cannot use {file}:[/] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    if not cases:
        err.print(f"[red]no questions in {file} for split {split!r}[/]", highlight=False)
        raise typer.Exit(2)
    settings, runtime = runtime_for(data_dir)

    async def work() -> tuple[list[list[Hit]], AnswerReport | None, dict[str, float]]:
        results = [await runtime.assistant.search(c.q, k) for c in cases]
        if not answers:
            return results, None, {}
        report, given = await _judge_answers(runtime, cases)
        answerable = [a for a, c in zip(given, cases, strict=True) if c.answerable]
        outcomes = _model_outcomes(answerable) if runtime.assistant.has_llm else {}
        return results, report, outcomes

    results, report, outcomes = run_in_loop(runtime, work)
    retrieval = evaluate(cases, results, settings.answer_min_relevance)
    validity = outcomes.get("citation_validity")
    if as_json:
        data = {**retrieval.to_json(), "citation_validity": validity}
        if report is not None:
            data["answers"] = report.to_json()
        if outcomes:
            data["model"] = {"name": runtime.model_name, **outcomes}
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    print_eval(retrieval, validity, file.name)
    if report is not None:
        _print_answers(report, runtime.assistant.has_llm)
    if outcomes:
        shares = "  ".join(f"{name} {value:.3f}" for name, value in outcomes.items())
        out.print(f"model {runtime.model_name}: {shares}", highlight=False)


async def _judge_answers(
    runtime: Runtime, cases: Sequence[EvalCase]
) -> tuple[AnswerReport, list[Answer]]:
    """Each question answered once (a model is slow): judged, and kept for the model's shares."""
    answerer = runtime.assistant.answerer
    report, answers = AnswerReport(), []
    report.budget = chosen = (await answerer.context_budget()).tokens
    budgets = sorted({*BUDGETS, chosen})
    for case in cases:
        answer = await runtime.assistant.answer(case.q, case.history)
        answers.append(answer)
        evidence = await answerer.evidence(case.q, case.history)
        rank = next(
            (i for i, chunk in enumerate(evidence.passages, 1) if _is_gold(case, chunk)),
            None,
        )
        context = None
        for budget in budgets if case.answerable else ():
            text = (await answerer.model_context(evidence, budget)).text
            prompt = answerer.prompt(case.q, list(case.history), answer.language, text)
            report.add_context(case, budget, text, estimate_tokens(_joined(prompt)))
            context = text if budget == chosen else context
        report.add(case, judge(case, answer), rank, context)
    return report, answers


def _joined(messages: Sequence[Message]) -> str:
    return "\n".join(m["content"] for m in messages)


def _is_gold(case: EvalCase, chunk: Chunk) -> bool:
    """A passage of the right note that states one of the keys."""
    text = f"{chunk.paper or ''}\n{chunk.text}"
    return chunk.source == case.source and any(states(text, key) for key in case.keys)


def _print_answers(report: AnswerReport, has_llm: bool) -> None:
    mode = "LLM" if has_llm else "extractive"
    out.print(f"\n[bold]answers ({mode})[/]", highlight=False)
    for row in report.table():
        out.print(row, markup=False, highlight=False)
    refused, false_refusals = report.refusal_rates()
    out.print(
        f"off-topic refused {refused:.3f}  false refusals {false_refusals:.3f}  "
        f"passage R@1 {report.passage_recall(1):.3f}  R@5 {report.passage_recall(5):.3f}  "
        f"context recall {report.context_recall():.3f} (at {report.budget or 0:,} tokens)",
        highlight=False,
    )
    for budget, shares in report.budgets().items():
        out.print(
            f"  passages of {budget:>5,} tokens: context recall {shares['context_recall']:.3f}, "
            f"prompt p50 {shares['prompt_tokens_p50']:,.0f} tokens",
            highlight=False,
        )


def _model_outcomes(answers: Sequence[Answer]) -> dict[str, float]:
    """With a model: shares of answers shown as the model wrote them (grounded), replaced by the
    extractive answer because the notes did not support them (guarded), or because the model
    failed (fallen back); and citation validity, the share of the model's answers whose
    citations and links all checked out (a guarded answer counts as invalid)."""
    grounded = [a for a in answers if a.mode == "llm"]
    guarded = [a for a in answers if any(n.startswith("model answer not") for n in a.notes)]
    failed = [a for a in answers if any(n.startswith("language model failed") for n in a.notes)]
    clean = [a for a in grounded if not any(n.startswith("removed") for n in a.notes)]
    total = max(1, len(answers))
    attempted = len(grounded) + len(guarded)
    return {
        "grounded": round(len(grounded) / total, 4),
        "guarded": round(len(guarded) / total, 4),
        "fallen_back": round(len(failed) / total, 4),
        "citation_validity": round(len(clean) / attempted, 4) if attempted else 0.0,
    }
