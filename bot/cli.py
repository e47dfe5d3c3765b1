"""`notesbot`: ingest, search and list papers (answers, bots and digests arrive later)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bot.config import Settings
from bot.core.catalog import build_catalog, paper_to_json
from bot.core.models import Hit
from bot.wiring import IndexBusy, chunking_options, make_searcher, open_index, writer_lock
from ingest.pipeline import Ingestor, IngestReport
from ingest.progress import make_progress

app = typer.Typer(help="A chatbot over your paper notes.", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

NotesOpt = Annotated[
    Path | None, typer.Option("--notes-dir", help="Notes folder (NOTESBOT_NOTES_DIR).")
]
DataOpt = Annotated[
    Path | None, typer.Option("--data-dir", help="Index folder (NOTESBOT_DATA_DIR).")
]


def _settings(notes_dir: Path | None = None, data_dir: Path | None = None) -> Settings:
    overrides = {k: v for k, v in {"notes_dir": notes_dir, "data_dir": data_dir}.items() if v}
    return Settings(**overrides)


@app.command()
def ingest(
    notes_dir: NotesOpt = None,
    data_dir: DataOpt = None,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Drop the index and start over.")
    ] = False,
) -> None:
    """Index the notes folder (incremental; safe to interrupt and re-run)."""
    settings = _settings(notes_dir, data_dir)
    if not settings.notes_dir.is_dir():
        err.print(f"[red]notes folder not found:[/] {settings.notes_dir}")
        raise typer.Exit(2)
    index = open_index(settings)
    try:
        with writer_lock(settings.data_dir):
            report = Ingestor(
                store=index.store,
                vectors=index.vectors,
                embedder=index.embedder,
                tokenizer=index.tokenizer,
                data_dir=settings.data_dir,
                options=chunking_options(settings),
                bm25_k1=settings.bm25_k1,
                bm25_b=settings.bm25_b,
                max_bytes=settings.max_file_bytes,
                progress=make_progress(sys.stderr),
            ).run(settings.notes_dir, rebuild=rebuild)
    except IndexBusy as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(3) from exc
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


@app.command()
def search(
    query: Annotated[str | None, typer.Argument(help="What to look for.")] = None,
    k: Annotated[int, typer.Option("-k", min=1, max=100, help="How many hits.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
    queries: Annotated[
        Path | None, typer.Option("--queries", help="File with one query per line.")
    ] = None,
    data_dir: DataOpt = None,
) -> None:
    """Hybrid search (BM25 over Japanese tokens + vectors) over the indexed notes."""
    if (query is None) == (queries is None):
        err.print("[red]give a QUERY or --queries FILE (not both)[/]")
        raise typer.Exit(2)
    settings = _settings(data_dir=data_dir)
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


@app.command()
def papers(
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
    data_dir: DataOpt = None,
) -> None:
    """List the paper catalog extracted from the notes."""
    settings = _settings(data_dir=data_dir)
    index = open_index(settings)
    try:
        catalog = build_catalog(index.store.mentions())
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


if __name__ == "__main__":
    app()
