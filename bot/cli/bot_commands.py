"""`notesbot slack` and `notesbot telegram`: run one bot in the foreground."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import typer

from bot.cli.common import DataOpt, err, load_settings, require_index
from bot.config import Settings
from bot.service import Service, run_services
from bot.state import StateStore
from bot.wiring import Runtime, build_runtime


def register(app: typer.Typer) -> None:
    app.command()(slack)
    app.command()(telegram)


def slack(data_dir: DataOpt = None) -> None:
    """Answer in Slack (Socket Mode with an app token, else HTTP with a signing secret)."""
    settings = _bot_settings(data_dir)
    if not settings.slack_configured:
        err.print(
            "[red]Slack is not configured:[/] set NOTESBOT_SLACK_BOT_TOKEN and either "
            "NOTESBOT_SLACK_APP_TOKEN (Socket Mode) or NOTESBOT_SLACK_SIGNING_SECRET (HTTP)"
        )
        raise typer.Exit(2)
    _run(settings, "slack")


def telegram(data_dir: DataOpt = None) -> None:
    """Answer on Telegram (long polling, or a webhook with NOTESBOT_TELEGRAM_MODE=webhook)."""
    settings = _bot_settings(data_dir)
    if not settings.telegram_configured:
        err.print("[red]Telegram is not configured:[/] set NOTESBOT_TELEGRAM_TOKEN")
        raise typer.Exit(2)
    _run(settings, "telegram")


def _bot_settings(data_dir: Path | None) -> Settings:
    settings = load_settings(data_dir=data_dir, log_level=logging.INFO)
    require_index(settings)
    return settings


def _run(settings: Settings, platform: str) -> None:
    runtime = build_runtime(settings)
    state = StateStore(settings.state_path)
    try:
        asyncio.run(_serve(settings, platform, runtime, state))
    finally:
        state.close()
        runtime.close()


async def _serve(settings: Settings, platform: str, runtime: Runtime, state: StateStore) -> None:
    service: Service
    if platform == "slack":
        from bot.platforms.slack import build_slack

        service = build_slack(settings, assistant=runtime.assistant, state=state)
    else:
        from bot.platforms.telegram import build_telegram

        service = build_telegram(settings, assistant=runtime.assistant, state=state)
    try:
        await run_services([service])
    finally:
        await runtime.aclose()
