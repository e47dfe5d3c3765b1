"""`notesbot arxiv`: today's new arXiv papers ranked against the notes; saving one as a note."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from bot.app.arxiv import ArxivParts, build_arxiv
from bot.app.compose import build_runtime
from bot.app.settings import Settings
from bot.arxiv.cache import todays_listing
from bot.arxiv.client import ArxivError
from bot.cli.common import DataOpt, JsonOpt, NotesOpt, err, load_settings, out, require_index
from bot.core.arxiv.submissions import Proposal


def register(app: typer.Typer) -> None:
    app.command()(arxiv)


def arxiv(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the ranking; save nothing (the default).")
    ] = False,
    save: Annotated[
        str | None,
        typer.Option("--save", metavar="ARXIV_ID", help="Save a paper of today's listing as a "
                     "note (notes folder, arxiv/); an existing file is never overwritten."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Papers to print.")] = 20,
    as_json: JsonOpt = False,
    notes_dir: NotesOpt = None,
    data_dir: DataOpt = None,
) -> None:
    """Today's new arXiv papers (NOTESBOT_ARXIV_CATEGORIES), closest to your notes first, each
    with its score and the note paper it is closest to."""
    if save and dry_run:
        err.print("[red]--save or --dry-run, not both[/]")
        raise typer.Exit(2)
    settings = load_settings(notes_dir=notes_dir, data_dir=data_dir, log_level=logging.WARNING)
    require_index(settings)
    runtime = build_runtime(settings)
    parts = build_arxiv(settings, runtime)
    if parts.section is None:
        runtime.close()
        err.print("[red]no arXiv categories[/]: set NOTESBOT_ARXIV_CATEGORIES, e.g. cs.CL,cs.LG")
        raise typer.Exit(2)
    try:
        ok = asyncio.run(_arxiv(parts, settings, save=save, limit=limit, as_json=as_json))
    finally:
        runtime.close()
    if not ok:
        raise typer.Exit(1)


async def _arxiv(
    parts: ArxivParts, settings: Settings, *, save: str | None, limit: int, as_json: bool
) -> bool:
    day = datetime.now(ZoneInfo(settings.digest_timezone)).date().isoformat()
    try:
        with err.status(f"arXiv {', '.join(settings.arxiv_categories)}: the listing of {day}…"):
            if save:  # the paper comes from the day's listing: no ranking needed
                await todays_listing(parts.client, parts.cache, day)
                out.print(await parts.writer.save(save, settings.summary_language),
                          highlight=False)
                return True
            assert parts.section is not None  # checked by the caller
            ranked = await parts.section.ranked(day)
        if as_json:
            print(json.dumps([p.to_json() for p in ranked[:limit]], ensure_ascii=False, indent=2))
        else:
            _print(ranked[:limit], total=len(ranked))
        return True
    except ArxivError as exc:
        err.print(f"[red]arXiv listing unavailable:[/] {exc}", highlight=False)
        return False
    finally:
        await parts.aclose()


def _print(ranked: list[Proposal], *, total: int) -> None:
    if not ranked:
        out.print("no new papers in the listing (or all are in your notes already)")
    for n, p in enumerate(ranked, 1):
        paper = p.submission
        out.print(f"{n:>2}. {p.score:.3f}  [bold]{paper.title}[/]", highlight=False)
        out.print(f"      {paper.url} · close to: {p.near}", markup=False, highlight=False)
    if total > len(ranked):
        out.print(f"({total - len(ranked)} more: --limit)")
