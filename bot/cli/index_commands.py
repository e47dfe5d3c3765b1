"""`notesbot ingest`, `search` and `papers`: build the index and look inside it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from bot.app.compose import make_ingestor, make_searcher, open_index
from bot.app.locking import IndexBusy, writer_lock
from bot.cli.common import DataOpt, JsonOpt, NotesOpt, err, load_settings, out, require_index
from bot.core.catalog import build_catalog, paper_to_json
from bot.core.models import Hit
from ingest.pipeline import VectorIndexBroken
from ingest.progress import make_progress
from ingest.report import IngestReport

_LOCK_WAIT = 120.0  # a running bot's pass holds the lock for seconds: wait for it, not fail


def register(app: typer.Typer) -> None:
    app.command()(ingest)
    app.command()(search)
    app.command()(papers)


def ingest(
    notes_dir: NotesOpt = None,
    data_dir: DataOpt = None,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Drop the index and start over.")
    ] = False,
) -> None:
    """Index the notes folder (incremental; safe to interrupt and re-run)."""
    settings = load_settings(notes_dir, data_dir)
    if not settings.notes_dir.is_dir():
        err.print(f"[red]notes folder not found:[/] {settings.notes_dir}")
        raise typer.Exit(2)
    index = open_index(settings)
    try:
        with writer_lock(settings.data_dir, wait=_LOCK_WAIT):
            ingestor = make_ingestor(
                settings, index, make_progress(sys.stderr), release_models=True
            )
            report = ingestor.run(settings.notes_dir, rebuild=rebuild)
    except IndexBusy as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(3) from exc
    except VectorIndexBroken as exc:
        err.print(f"[red]{exc}[/]", highlight=False)
        raise typer.Exit(1) from exc
    except OSError as exc:
        err.print(f"[red]could not write the index in {settings.data_dir}:[/] {exc}")
        raise typer.Exit(1) from exc
    finally:
        index.close()
    _print_report(report)
    if not report.ok:
        err.print(f"[red]nothing could be indexed from {settings.notes_dir}[/]")
        raise typer.Exit(1)


def _print_report(report: IngestReport) -> None:
    for source, reason in report.skipped:
        err.print(f"skipped {source}: {reason}", markup=False, highlight=False)
    extra = " (rebuilt)" if report.rebuilt else ""
    extra += f" (repaired {report.repaired} after an interrupted run)" if report.repaired else ""
    err.print(
        f"indexed {len(report.indexed)} / unchanged {report.unchanged} / "
        f"skipped {len(report.skipped)} / removed {len(report.removed)}; "
        f"{report.chunks} chunks; {report.seconds:.1f}s{extra}",
        markup=False,
        highlight=False,
    )


def search(
    query: Annotated[str | None, typer.Argument(help="What to look for.")] = None,
    k: Annotated[int, typer.Option("-k", min=1, max=100, help="How many hits.")] = 5,
    as_json: JsonOpt = False,
    queries: Annotated[
        Path | None, typer.Option("--queries", help="File with one query per line.")
    ] = None,
    data_dir: DataOpt = None,
) -> None:
    """Hybrid search (BM25 over Japanese tokens + vectors) over the indexed notes."""
    if (query is None) == (queries is None):
        err.print("[red]give a QUERY or --queries FILE (not both)[/]")
        raise typer.Exit(2)
    if queries is not None and not queries.is_file():
        err.print(f"[red]no such queries file:[/] {queries}", highlight=False)
        raise typer.Exit(2)
    settings = load_settings(data_dir=data_dir)
    require_index(settings)
    index = open_index(settings)
    try:
        searcher = make_searcher(settings, index)
        if queries is not None:
            for line in queries.read_text(encoding="utf-8").splitlines():
                hits = searcher.search(line, k) if line.strip() else []
                print(json.dumps([hit.to_json() for hit in hits], ensure_ascii=False), flush=True)
            return
        assert query is not None
        _print_hits(searcher.search(query, k), as_json)
    finally:
        index.close()


def _print_hits(hits: list[Hit], as_json: bool) -> None:
    if as_json:
        print(json.dumps([hit.to_json() for hit in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        out.print("no matching passages")
    for hit in hits:
        c = hit.chunk
        where = " › ".join(part for part in (c.source, c.heading) if part)
        lines = f"lines {c.line_start}-{c.line_end}, score {hit.score:.2f}"
        out.print(f"[bold][{hit.rank}][/] {where} [dim]({lines})[/]")
        if c.paper:
            out.print(f"    📄 {c.paper}" + (f"  {c.url}" if c.url else ""), markup=False)
        snippet = " ".join(c.body.split())
        out.print(
            f"    {snippet[:240]}{'…' if len(snippet) > 240 else ''}", markup=False, highlight=False
        )


def papers(
    as_json: JsonOpt = False,
    data_dir: DataOpt = None,
) -> None:
    """List the paper catalog extracted from the notes."""
    settings = load_settings(data_dir=data_dir)
    require_index(settings)
    index = open_index(settings)
    try:
        catalog = build_catalog(index.store.mentions(), index.store.first_seen())
    finally:
        index.close()
    if as_json:
        print(json.dumps([paper_to_json(p) for p in catalog], ensure_ascii=False, indent=2))
        return
    for paper in catalog:
        meta = ", ".join(str(x) for x in (paper.venue, paper.year) if x)
        sources = ", ".join(sorted({ref.source for ref in paper.sources}))
        out.print(f"• [bold]{paper.title}[/]" + (f" ({meta})" if meta else ""), highlight=False)
        out.print(f"    {paper.url or ''}  [dim]{sources}[/]", highlight=False)
    err.print(f"{len(catalog)} papers")
