"""Ingest at the size of a real notes folder: cold time, peak memory, data size, a one-edit
re-ingest and answer latency, side by side at about 1, 5 and 20 MB of notes.

    .venv/bin/python bench/ingest_scale.py --sizes 1,5,20 --source ../shared/notes \\
        --source /path/to/public-notes --json-out bench/.work/scale.json

Each folder holds the real notes of the ``--source`` folders (in a fixed shuffled order)
until the size is reached, then variants of them: every prose line of copy k ends in
`` [k]``, so a variant is embedded like a new note (the index embeds a repeated sentence once,
and plain copies would cost nothing). Every ingest is a fresh ``notesbot ingest`` process, as
a user runs it: its time includes start-up, and its peak RSS is the kernel's (``wait4``).
With matplotlib installed, ``--plot docs/ingest_scale.png`` draws the table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from _jsquad import markdown_table, percentile
from answer_latency import measure

from bot.app.settings import Settings
from bot.core.evaluation.retrieval import load_cases

MB = 1024 * 1024
NOTE_SUFFIXES = (".md", ".txt", ".markdown")
CLI = Path(sys.executable).with_name("notesbot")
EDIT = "\n追記: 再実行の速さを測るための一文。\n"


def note_files(sources: list[Path]) -> list[Path]:
    files = [p for s in sources for p in sorted(s.rglob("*")) if p.suffix in NOTE_SUFFIXES]
    random.Random(30).shuffle(files)
    return [p for p in files if p.is_file()]


def variant(text: str, copy: int) -> str:
    """The note with each prose line marked (tables, fences and front-matter rules kept)."""
    if copy == 0:
        return text
    kept = ("|", "```", "~~~", "---", "$$")
    return "\n".join(
        line if not line.strip() or line.lstrip().startswith(kept) else f"{line} [{copy}]"
        for line in text.split("\n")
    )


def build_folder(sources: list[Path], target: Path, megabytes: float) -> tuple[int, int]:
    """Notes (real, then variants) up to ``megabytes``; (files, bytes) written."""
    shutil.rmtree(target, ignore_errors=True)
    files, written, copy = note_files(sources), 0, 0
    if not files:
        raise SystemExit(f"no notes ({', '.join(NOTE_SUFFIXES)}) under {sources}")
    count = 0
    while written < megabytes * MB:
        for path in files:
            text = variant(path.read_text(encoding="utf-8", errors="replace"), copy)
            out = target / f"copy{copy}" / f"{count:05d}-{path.name}"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
            written, count = written + len(text.encode()), count + 1
            if written >= megabytes * MB:
                break
        copy += 1
    return count, written


def timed_ingest(notes: Path, data: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one ``notesbot ingest`` process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOTESBOT_")}
    command = [str(CLI), "ingest", "--notes-dir", str(notes), "--data-dir", str(data)]
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=sys.stderr)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"`{' '.join(command)}` failed")
    return seconds, usage.ru_maxrss / 1024  # Linux reports KB


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / MB


def one_size(megabytes: float, sources: list[Path], work: Path, questions: list) -> dict:
    notes, data = work / f"notes-{megabytes:g}mb", work / f"data-{megabytes:g}mb"
    files, written = build_folder(sources, notes, megabytes)
    shutil.rmtree(data, ignore_errors=True)
    print(f"{megabytes:g} MB: {files} notes; cold ingest…", file=sys.stderr, flush=True)
    cold, peak = timed_ingest(notes, data)
    size = folder_mb(data)
    edited = next(notes.rglob("*.md"))
    edited.write_text(edited.read_text(encoding="utf-8") + EDIT, encoding="utf-8")
    again, again_peak = timed_ingest(notes, data)
    times = asyncio.run(
        measure(Settings(_env_file=None, notes_dir=notes, data_dir=data), questions)
    )
    return {
        "megabytes": round(written / MB, 2), "notes": files, "cold_s": round(cold, 1),
        "peak_rss_mb": round(peak), "data_mb": round(size, 1),
        "data_ratio": round(size / (written / MB), 1), "edit_s": round(again, 2),
        "edit_peak_mb": round(again_peak), "answer_p50_ms": round(percentile(times["answer"], 50)),
    }


def plot(rows: list[dict], output: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display: write a file
    import matplotlib.pyplot as plt

    sizes = [r["megabytes"] for r in rows]
    figure, axes = plt.subplots(1, 3, figsize=(12, 3.6))
    for ax, key, label in zip(
        axes, ("cold_s", "peak_rss_mb", "data_mb"),
        ("cold ingest (s)", "peak RSS (MB)", "data folder (MB)"), strict=True,
    ):
        ax.plot(sizes, [r[key] for r in rows], marker="o")
        ax.set_xlabel("notes (MB)")
        ax.set_title(label)
        ax.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(output, dpi=110)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,5,20", help="megabytes of notes, comma-separated")
    parser.add_argument("--source", type=Path, action="append", help="folders of notes")
    parser.add_argument("--questions", type=Path, default=Path("tests/data/answers_eval.jsonl"))
    parser.add_argument("--work", type=Path, default=Path("bench/.work/scale"))
    parser.add_argument("--json-out", type=Path)
    parser.add_argument("--plot", type=Path)
    args = parser.parse_args()
    sources = args.source or [Path("../shared/notes")]
    cases = load_cases(args.questions.read_text(encoding="utf-8").splitlines())
    questions = [(c.q, c.history) for c in cases][:40]
    rows = [one_size(float(s), sources, args.work, questions) for s in args.sizes.split(",")]
    header = list(rows[0])
    print(markdown_table(header, [[str(r[k]) for k in header] for r in rows]))
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(rows, indent=1))
    if args.plot:
        plot(rows, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
