"""JSQuAD as retrieval: does the real ingest + Searcher find a question's paragraph?

Every JSQuAD v1.3 paragraph (valid + test, 2,304) becomes a note ``<i:05d>.md`` holding
``# <title>\\n\\n<text>\\n``; a question's gold document is its paragraph's note. 1,000 questions
are sampled with ``random.Random(0)`` and searched with k=10.

    .venv/bin/python bench/jsquad_retrieval.py --dense-weights 0,0.1,0.2,0.3
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from _jsquad import (
    JSQUAD_DIR,
    WORK_DIR,
    Question,
    load_jsquad,
    log,
    make_ingestor,
    make_settings,
    markdown_table,
    note_name,
    sample_questions,
    write_notes,
)

from bot.app.compose import Index, make_searcher, open_index
from bot.app.locking import writer_lock
from bot.app.settings import Settings
from bot.core.fusion import dense_weight_for
from bot.core.text import is_japanese
from bot.index.search import Searcher

CUTOFFS = (1, 5, 10)
# README of ../shared/bench/jsquad: the same corpus and 1,000-question sample (seed 0).
REFERENCE = [
    ("reference: BM25 SudachiPy (bm25s defaults, no title)", (0.862, 0.947, 0.968)),
    ("reference: BM25 SudachiPy + title, k1=0.9 b=0.4", (0.901, 0.966, None)),
]
TARGET = {1: 0.90, 5: 0.975}  # issue 21, with the packaged multilingual e5


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jsquad", type=Path, default=JSQUAD_DIR, help="JSQuAD folder")
    parser.add_argument("--work", type=Path, default=WORK_DIR / "jsquad", help="notes + data")
    parser.add_argument("--questions", type=int, default=1000, help="how many to sample")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--dense-weights",
        default="",
        help='comma list of Japanese dense weights to compare, e.g. "0,0.1,0.2,0.3"',
    )
    parser.add_argument("--k1", type=float, default=None, help="override BM25 k1 (re-ingests)")
    parser.add_argument("--b", type=float, default=None, help="override BM25 b (re-ingests)")
    parser.add_argument("--rebuild", action="store_true", help="drop the index first")
    return parser.parse_args()


def ingest(settings: Settings, index: Index, rebuild: bool) -> None:
    with writer_lock(settings.data_dir):
        report = make_ingestor(settings, index).run(settings.notes_dir, rebuild=rebuild)
    log(
        f"ingest: indexed {len(report.indexed)} / unchanged {report.unchanged} / "
        f"skipped {len(report.skipped)}; {report.chunks} chunks; {report.seconds:.1f}s"
        + (" (rebuilt)" if report.rebuilt else "")
    )
    for source, reason in report.skipped:
        log(f"  skipped {source}: {reason}")


def evaluate(
    searcher: Searcher, questions: list[Question], label: str
) -> tuple[list[float], float]:
    """Recall at each cutoff and mean seconds per query."""
    found = dict.fromkeys(CUTOFFS, 0)
    started = time.perf_counter()
    for n, question in enumerate(questions, 1):
        hits = searcher.search(question.text, k=max(CUTOFFS))
        sources = [hit.chunk.source for hit in hits]
        gold = note_name(question.gold)
        for cutoff in CUTOFFS:
            found[cutoff] += gold in sources[:cutoff]
        if n % 200 == 0:
            log(f"{label}: {n}/{len(questions)} R@1 so far {found[1] / n:.3f}")
    seconds = (time.perf_counter() - started) / len(questions)
    return [found[c] / len(questions) for c in CUTOFFS], seconds


def weighted_searcher(settings: Settings, index: Index, ja: float) -> Searcher:
    return make_searcher(settings.model_copy(update={"dense_weight_ja": ja}), index)


def fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def main() -> int:
    args = parse_args()
    weights = [float(w) for w in args.dense_weights.split(",") if w.strip()]
    overrides = {
        key: value for key, value in (("bm25_k1", args.k1), ("bm25_b", args.b)) if value is not None
    }
    paragraphs, all_questions = load_jsquad(args.jsquad)
    notes_dir, data_dir = args.work / "notes", args.work / "data"
    written = write_notes(paragraphs, notes_dir)
    log(f"{len(paragraphs)} paragraphs ({written} note files written), {len(all_questions)} qs")
    settings = make_settings(notes_dir, data_dir, **overrides)
    questions = sample_questions(all_questions, args.questions, args.seed)
    not_ja = sum(not is_japanese(q.text) for q in questions)
    if not_ja:
        log(f"note: {not_ja} sampled questions are not detected as Japanese")

    index = open_index(settings)
    try:
        ingest(settings, index, args.rebuild)
        default_ja = dense_weight_for(
            "日本語",
            multilingual=index.embedder.multilingual,
            ja=settings.dense_weight_ja,
            en=settings.dense_weight_en,
        )
        runs: list[tuple[str, Searcher]] = [
            (f"default (ja dense weight {default_ja:g})", make_searcher(settings, index))
        ]
        runs += [(f"ja dense weight {w:g}", weighted_searcher(settings, index, w)) for w in weights]
        rows: list[list[str]] = []
        default_recall: list[float] = []
        for label, searcher in runs:
            recall, seconds = evaluate(searcher, questions, label)
            default_recall = default_recall or recall
            rows.append([label, *map(fmt, recall), f"{seconds * 1000:.1f}"])
    finally:
        index.close()

    rows += [[label, *map(fmt, ref), ""] for label, ref in REFERENCE]
    print(
        f"JSQuAD retrieval: {len(paragraphs)} notes, {len(questions)} questions (seed {args.seed}),"
        f" embedder {settings.embed_model}, BM25 k1={settings.bm25_k1} b={settings.bm25_b}\n"
    )
    print(markdown_table(["retriever", "R@1", "R@5", "R@10", "ms/query"], rows))
    verdict = [
        f"R@{c} {default_recall[CUTOFFS.index(c)]:.3f} "
        f"{'≥' if default_recall[CUTOFFS.index(c)] >= t else '<'} {t}"
        for c, t in TARGET.items()
    ]
    met = all(default_recall[CUTOFFS.index(c)] >= t for c, t in TARGET.items())
    print(f"\nTarget (default settings): {'; '.join(verdict)} -> {'MET' if met else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
