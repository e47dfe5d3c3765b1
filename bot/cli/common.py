"""What every command shares: consoles, the settings read, common options."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console

from bot.app.settings import Settings
from bot.ops.logs import setup_logging

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

NotesOpt = Annotated[
    Path | None, typer.Option("--notes-dir", help="Notes folder (NOTESBOT_NOTES_DIR).")
]
DataOpt = Annotated[
    Path | None, typer.Option("--data-dir", help="Index folder (NOTESBOT_DATA_DIR).")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="JSON output.")]


def load_settings(
    notes_dir: Path | None = None, data_dir: Path | None = None, *, log_level: int = logging.WARNING
) -> Settings:
    """The one place the CLI reads settings (env, .env, then these overrides)."""
    overrides = {k: v for k, v in {"notes_dir": notes_dir, "data_dir": data_dir}.items() if v}
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        for problem in exc.errors():
            name = "NOTESBOT_" + "_".join(str(part) for part in problem["loc"]).upper()
            err.print(f"[red]bad setting {name}:[/] {problem['msg']}", highlight=False)
        raise typer.Exit(2) from None
    setup_logging(settings.secrets(), as_json=settings.log_format == "json", level=log_level)
    return settings


def require_index(settings: Settings) -> None:
    """Questions need an index: say how to build one instead of answering from nothing."""
    if not settings.index_path.exists():
        err.print(
            f"[red]no index in {settings.data_dir}[/]: run "
            f"`notesbot ingest --notes-dir YOUR_NOTES --data-dir {settings.data_dir}` first",
            highlight=False,
        )
        raise typer.Exit(2)
