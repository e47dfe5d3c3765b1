"""`notesbot doctor`: a table of what works, what doesn't, and what to do about it."""

from __future__ import annotations

import asyncio
import json

import typer
from rich.table import Table

from bot.app.diagnose import run_checks
from bot.cli.common import DataOpt, JsonOpt, NotesOpt, load_settings, out
from bot.ops.logs import MaskingFormatter

_STYLE = {"ok": "green", "warn": "yellow", "fail": "bold red", "skip": "dim"}


def register(app: typer.Typer) -> None:
    app.command()(doctor)


def doctor(notes_dir: NotesOpt = None, data_dir: DataOpt = None, as_json: JsonOpt = False) -> None:
    """Check settings, notes, index consistency, embedder, LLM, Slack and Telegram."""
    settings = load_settings(notes_dir, data_dir)
    checks = asyncio.run(run_checks(settings))
    masker = MaskingFormatter(settings.secrets(), as_json=False)
    if as_json:
        rows = [{"check": c.name, "status": c.status, "detail": c.detail} for c in checks]
        print(masker.mask(json.dumps(rows, ensure_ascii=False, indent=2)))
    else:
        table = Table("check", "status", "detail", title="notesbot doctor")
        for c in checks:
            status = f"[{_STYLE[c.status]}]{c.status}[/]"
            table.add_row(c.name, status, masker.mask(c.detail))
        out.print(table)
    if any(c.status == "fail" for c in checks):
        raise typer.Exit(1)
