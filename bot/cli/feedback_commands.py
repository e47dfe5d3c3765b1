"""`notesbot feedback`: the votes users gave answers, exported as eval rows, or cleared."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from bot.cli.common import DataOpt, JsonOpt, err, load_settings, out
from bot.core.feedback import export_lines
from bot.state.store import StateStore


def register(app: typer.Typer) -> None:
    app.command()(feedback)


def feedback(
    export: Annotated[
        Path | None, typer.Option("--export", help="Write votes as `notesbot eval` rows.")
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Delete every vote.")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many recent votes.")] = 20,
    data_dir: DataOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Recent 👍/👎 votes from Slack and Telegram, with the answers they judged."""
    settings = load_settings(None, data_dir)
    state = StateStore(settings.state_path)
    try:
        if clear:
            err.print(f"deleted {state.clear_feedback()} votes", highlight=False)
            return
        votes = state.votes(limit=1_000_000 if export else limit)
    finally:
        state.close()
    if export is not None:
        lines = export_lines(votes)
        export.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        rows = sum(not line.startswith("//") for line in lines)
        err.print(f"wrote {rows} eval rows and {len(lines) - rows} to review to {export}; "
                  f"score them with `notesbot eval {export} --answers`", highlight=False)
    elif as_json:
        print(json.dumps(votes, ensure_ascii=False, indent=2))
    else:
        _table(votes)


def _table(votes: list[dict[str, object]]) -> None:
    if not votes:
        err.print("no votes yet: 👍/👎 under an answer in Slack or Telegram records one")
        return
    table = Table("when", "where", "vote", "question", "mode", "sources", title="feedback")
    for v in votes:
        sources = ", ".join(str(c["source"]) for c in v["citations"])  # type: ignore[attr-defined]
        mark = "👍" if v["vote"] == "up" else "👎"
        table.add_row(str(v["at"]), str(v["platform"]), mark, str(v["question"] or "?"),
                      str(v["mode"] or "?"), sources)
    out.print(table)
