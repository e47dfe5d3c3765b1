"""Ingest overhead: cold ingest vs embedding alone, and unchanged re-ingest vs cold ingest.

In one process, with one embedder object whose model is loaded and warmed before any timing:
1. cold ingest (fresh data dir) with the real Ingestor;
2. embedding only: the same chunk texts (``parse_note`` on the same files), one
   ``embed_documents`` call;
3. re-ingest with nothing changed.

    .venv/bin/python bench/ingest_ratio.py            # all 2,304 JSQuAD paragraphs
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from _jsquad import (
    JSQUAD_DIR,
    WORK_DIR,
    load_jsquad,
    log,
    make_ingestor,
    make_settings,
    markdown_table,
    write_notes,
)

from bot.app.compose import chunking_options, open_index
from bot.app.locking import writer_lock
from bot.core.models import Chunk
from bot.core.notes import ChunkingOptions, content_hash, parse_note
from bot.core.reading import decode_note, read_bytes
from ingest.scan import relative_source, scan_notes

TARGET_COLD = 1.5  # cold ingest ÷ embedding only, at most
TARGET_UNCHANGED = 0.05  # unchanged re-ingest ÷ cold ingest, at most
WARMUP = ["warm-up sentence for the embedder", "埋め込みモデルのウォームアップ用の文です。"] * 8


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jsquad", type=Path, default=JSQUAD_DIR, help="JSQuAD folder")
    parser.add_argument("--notes", type=Path, default=None, help="use this notes folder instead")
    parser.add_argument(
        "--limit", type=int, default=None, help="first N JSQuAD paragraphs only (default all)"
    )
    parser.add_argument("--work", type=Path, default=WORK_DIR / "ingest_ratio")
    return parser.parse_args()


def chunks_of(notes_dir: Path, max_bytes: int, options: ChunkingOptions) -> list[Chunk]:
    """The chunks the Ingestor would make, built the way it builds them."""
    chunks: list[Chunk] = []
    for path in scan_notes(notes_dir):
        data = read_bytes(path, max_bytes=max_bytes)
        text = decode_note(data)
        source = relative_source(path, notes_dir)
        note = parse_note(source, text.text, options=options, content_hash=content_hash(data))
        chunks.extend(note.chunks)
    return chunks


def main() -> int:
    args = parse_args()
    if args.notes is not None:
        notes_dir = args.notes
    else:
        paragraphs, _ = load_jsquad(args.jsquad)
        paragraphs = paragraphs[: args.limit] if args.limit else paragraphs
        notes_dir = args.work / "notes"
        write_notes(paragraphs, notes_dir)
    data_dir = args.work / "data"
    shutil.rmtree(data_dir, ignore_errors=True)
    settings = make_settings(notes_dir, data_dir)
    index = open_index(settings)
    try:
        started = time.perf_counter()
        index.embedder.embed_documents(WARMUP)
        log(f"embedder loaded and warmed in {time.perf_counter() - started:.1f}s")

        with writer_lock(data_dir):
            started = time.perf_counter()
            cold_report = make_ingestor(settings, index).run(notes_dir)
            cold = time.perf_counter() - started
        log(
            f"cold ingest: {len(cold_report.indexed)} files, "
            f"{cold_report.chunks} chunks, {cold:.1f}s"
        )

        started = time.perf_counter()
        chunks = chunks_of(notes_dir, settings.max_file_bytes, chunking_options(settings))
        parse = time.perf_counter() - started
        texts = [chunk.text for chunk in chunks]
        if len(texts) != cold_report.chunks:
            log(f"warning: parsed {len(texts)} chunks but the ingest stored {cold_report.chunks}")
        started = time.perf_counter()
        index.embedder.embed_documents(texts)
        embed = time.perf_counter() - started
        log(f"embedding only: {len(texts)} texts, {embed:.1f}s")

        started = time.perf_counter()
        for text in texts:
            index.tokenizer.tokenize(text)
        tokenize = time.perf_counter() - started

        with writer_lock(data_dir):
            started = time.perf_counter()
            warm_report = make_ingestor(settings, index).run(notes_dir)
            unchanged = time.perf_counter() - started
        log(
            f"unchanged re-ingest: indexed {len(warm_report.indexed)}, "
            f"unchanged {warm_report.unchanged}, {unchanged:.2f}s"
        )
    finally:
        index.close()

    cold_ratio, unchanged_ratio = cold / embed, unchanged / cold
    print(
        f"Ingest overhead: {len(cold_report.indexed)} notes from {notes_dir.name}/, "
        f"{len(texts)} chunks, embedder {settings.embed_model} "
        f"(batch {settings.embed_batch_size}), CPU\n"
    )
    print(
        markdown_table(
            ["step", "seconds"],
            [
                ["cold ingest (fresh data dir, Ingestor.run)", f"{cold:.2f}"],
                ["embedding only (same chunk texts, one embed_documents call)", f"{embed:.2f}"],
                ["unchanged re-ingest (Ingestor.run)", f"{unchanged:.3f}"],
                ["(info) parse notes into chunks", f"{parse:.2f}"],
                ["(info) SudachiPy tokenization of the chunks", f"{tokenize:.2f}"],
            ],
        )
    )
    print()
    print(
        markdown_table(
            ["ratio", "value", "target", "result"],
            [
                [
                    "cold ingest ÷ embedding only",
                    f"{cold_ratio:.2f}",
                    f"≤ {TARGET_COLD}",
                    "MET" if cold_ratio <= TARGET_COLD else "MISSED",
                ],
                [
                    "unchanged re-ingest ÷ cold ingest",
                    f"{unchanged_ratio:.3f} ({unchanged_ratio:.1%})",
                    f"≤ {TARGET_UNCHANGED:.0%}",
                    "MET" if unchanged_ratio <= TARGET_UNCHANGED else "MISSED",
                ],
            ],
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
