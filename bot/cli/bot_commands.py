"""`notesbot slack`, `telegram`, `serve` and `digest`: the long-running side."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Annotated

import typer

from bot.app.parts import Parts, build_parts
from bot.app.serve import Service, run_services
from bot.app.settings import Settings
from bot.cli.common import DataOpt, JsonOpt, err, load_settings, out, require_index
from bot.core.digest import Digest

NOT_CONFIGURED = {
    "slack": "set NOTESBOT_SLACK_BOT_TOKEN and NOTESBOT_SLACK_APP_TOKEN (Socket Mode) or "
    "NOTESBOT_SLACK_SIGNING_SECRET (HTTP)",
    "telegram": "set NOTESBOT_TELEGRAM_TOKEN",
}


def register(app: typer.Typer) -> None:
    app.command()(slack)
    app.command()(telegram)
    app.command()(serve)
    app.command()(digest)


def slack(data_dir: DataOpt = None) -> None:
    """Answer in Slack (Socket Mode with an app token, else HTTP with a signing secret)."""
    _run(("slack",), data_dir, scheduler=False)


def telegram(data_dir: DataOpt = None) -> None:
    """Answer on Telegram (long polling, or a webhook with NOTESBOT_TELEGRAM_MODE=webhook)."""
    _run(("telegram",), data_dir, scheduler=False)


def serve(data_dir: DataOpt = None) -> None:
    """Slack and Telegram (those configured), the daily digest and /healthz, in one process."""
    _run(("slack", "telegram"), data_dir, scheduler=True)


def _settings(data_dir: Path | None, level: int = logging.INFO) -> Settings:
    settings = load_settings(data_dir=data_dir, log_level=level)
    require_index(settings)
    return settings


def _run(platforms: tuple[str, ...], data_dir: Path | None, *, scheduler: bool) -> None:
    settings = _settings(data_dir)
    parts = build_parts(settings, platforms=platforms, live=True)
    if not parts.bots:
        parts.close()
        missing = " or ".join(f"{p}: {NOT_CONFIGURED[p]}" for p in platforms)
        err.print(f"[red]nothing to run:[/] {missing}", highlight=False)
        raise typer.Exit(2)
    services: list[Service] = list(parts.bots.values())
    if parts.live is not None:  # first: a catch-up pass starts before the first question
        services.insert(0, parts.live)
    if scheduler:
        services += [parts.scheduler(), parts.health()]
    try:
        asyncio.run(_serve(parts, services))
    finally:
        parts.close()


async def _serve(parts: Parts, services: list[Service]) -> None:
    try:
        if parts.runtime.chat is not None:  # which budget, and why: before the first question
            budget = await parts.runtime.assistant.answerer.context_budget()
            logging.getLogger(__name__).info("answers read %s", budget.describe())
        await run_services(services)
    finally:
        await parts.aclose()


def digest(
    post: Annotated[
        bool, typer.Option("--post", help="Post to every target due (for cron/systemd).")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print it (the default).")] = False,
    as_json: JsonOpt = False,
    data_dir: DataOpt = None,
) -> None:
    """Today's paper digest: print it, or post it to the configured Slack/Telegram targets."""
    if post and dry_run:
        err.print("[red]--post or --dry-run, not both[/]")
        raise typer.Exit(2)
    settings = _settings(data_dir, logging.WARNING)
    parts = build_parts(settings)
    try:
        ok = asyncio.run(_digest(parts, post=post, as_json=as_json))
    finally:
        parts.close()
    if not ok:
        raise typer.Exit(1)


async def _digest(parts: Parts, *, post: bool, as_json: bool) -> bool:
    try:
        if post:
            return await _post(parts, as_json)
        targets = parts.planner.targets() or ["preview"]
        with err.status("today's digest (and the arXiv listing, when configured)…"):
            digests = [await parts.planner.preview(target) for target in targets]
        if as_json:
            print(json.dumps([d.to_json() for d in digests], ensure_ascii=False, indent=2))
        for one in [] if as_json else digests:
            _print_digest(one)
        return True
    finally:
        await parts.aclose()


async def _post(parts: Parts, as_json: bool) -> bool:
    if not parts.bots:
        err.print("[red]no platform configured to post to[/]")
        return False
    fire = parts.planner.latest_fire()
    if fire is None:
        err.print("the schedule has not fired in the last week: nothing is due")
        return True
    try:
        report = await parts.runner().run(fire)
    finally:
        for bot in parts.bots.values():  # never started: this just closes their clients
            await bot.stop(timeout=5)
    if as_json:
        print(json.dumps({"period": report.period, "posted": report.posted,
                          "failed": report.failed, "skipped": report.skipped}, indent=2))
    else:
        err.print(f"digest {report.period}: posted to {len(report.posted)}, "
                  f"already done {len(report.skipped)}, failed {len(report.failed)}")
        for target, reason in report.failed.items():
            err.print(f"  {target}: {reason}", markup=False, highlight=False)
    return not report.failed


def _print_digest(digest: Digest) -> None:
    out.print(f"[bold]{digest.target} — {digest.period}[/]", highlight=False)
    if digest.empty:
        out.print("  (nothing to post)")
    for n, item in enumerate(digest.items, 1):
        mark = " [green]new[/]" if item.new else ""
        out.print(f"{n}. [bold]{item.summary.paper}[/]{mark}", highlight=False)
        for line in (item.summary.text, item.summary.url, f"({item.summary.source.source})"):
            if line:
                out.print(f"   {line}", markup=False, highlight=False)
    if digest.arxiv:
        out.print("[bold]new on arXiv, closest to your notes first[/]")
    for n, p in enumerate(digest.arxiv, 1):
        out.print(f"{n}. [bold]{p.submission.title}[/] ({p.score:.2f})", highlight=False)
        for line in (p.summary, p.submission.url, f"(close to: {p.near})"):
            out.print(f"   {line}", markup=False, highlight=False)
