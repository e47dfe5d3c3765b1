"""Live notes: what watching costs at rest, and how soon a save is answerable.

Builds a folder of N small notes (default 10,000, in 100 subfolders), ingests it, then runs the
bot's own live index (bot.app.live: watcher + passes + the catch-up loop) and measures
1. CPU at rest: process CPU seconds over ``--idle`` seconds of nothing happening, as a share of
   one core, with inotify and with polling (network mounts);
2. save → answerable: from writing a new note (1 file, then 100 files at once) until a search
   for its unique word returns it.

    .venv/bin/python bench/live_notes.py --files 10000 --idle 30
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import time
from pathlib import Path

from _jsquad import WORK_DIR, log, markdown_table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bot.app.compose import build_runtime
from bot.app.embedding import make_embedder
from bot.app.live import build_live
from bot.app.settings import Settings
from tests.support import run_ingest

_TOPICS = "注意機構 量子化 蒸留 埋め込み 検索 翻訳 推論 事前学習 拡散モデル 強化学習".split()


def write_folder(root: Path, files: int) -> None:
    for n in range(files):
        folder = root / f"d{n % 100:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        topic = _TOPICS[n % len(_TOPICS)]
        (folder / f"n{n:05d}.md").write_text(
            f"# ノート {n}\n\n{topic}についての実験 {n} の記録。結果は {n % 97} 点だった。\n",
            encoding="utf-8",
        )


_RUN = f"{int(time.time()) % 100_000:05d}"  # new texts each run: nothing comes from the cache


def unique_note(n: int) -> tuple[str, str]:
    word = f"zq{_RUN}{n:05d}xk"
    return word, f"# 新しいノート {n}\n\n{word} という手法を試した記録 {n}。\n"


async def idle_cpu(settings: Settings, seconds: float) -> tuple[float, str]:
    runtime = build_runtime(settings)
    live = build_live(settings, runtime)
    await live.start()
    try:
        await asyncio.sleep(5)  # the catch-up pass and the watcher's first scan
        while live.passes == 0:
            await asyncio.sleep(0.2)
        before, started = time.process_time(), time.monotonic()
        await asyncio.sleep(seconds)
        share = (time.process_time() - before) / (time.monotonic() - started)
        return share, live.status.watching
    finally:
        await live.stop(5)
        runtime.close()


async def save_to_answerable(settings: Settings, counts: list[int]) -> dict[int, list[float]]:
    runtime = build_runtime(settings)
    live = build_live(settings, runtime)
    await live.start()
    results: dict[int, list[float]] = {}
    serial = 0
    try:
        while live.passes == 0:
            await asyncio.sleep(0.2)
        for count in counts:
            notes = []
            for _ in range(count):
                serial += 1
                notes.append(unique_note(serial))
            started = time.monotonic()
            for word, text in notes:
                (settings.notes_dir / "new" / f"{word}.md").write_text(text, encoding="utf-8")
            last = notes[-1][0]
            while not any(last in h.chunk.text for h in await runtime.assistant.search(last, 3)):
                await asyncio.sleep(0.05)
            results.setdefault(count, []).append(time.monotonic() - started)
            await asyncio.sleep(1.0)
    finally:
        await live.stop(5)
        runtime.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--idle", type=float, default=30.0)
    args = parser.parse_args()
    root = WORK_DIR / f"live-{args.files}"
    notes = root / "notes"
    settings = Settings(_env_file=None, notes_dir=notes, data_dir=root / "data")
    if (root / "built").exists():  # the folder and its index from an earlier run
        shutil.rmtree(notes / "new")  # the catch-up pass removes the last run's new notes
    else:
        shutil.rmtree(root, ignore_errors=True)
        write_folder(notes, args.files)
        log(f"ingesting {args.files} notes…")
        started = time.monotonic()
        run_ingest(settings, make_embedder(settings))
        log(f"ingested in {time.monotonic() - started:.0f} s")
        (root / "built").touch()
    (notes / "new").mkdir()
    rows = []
    for polling in (False, True):
        watched = settings.model_copy(update={"watch_polling": polling})
        share, mode = asyncio.run(idle_cpu(watched, args.idle))
        rows.append([f"idle CPU, {mode}", f"{share * 100:.2f}% of a core", f"{args.idle:g} s"])
    saves = asyncio.run(save_to_answerable(settings, [1, 1, 1, 100, 100]))
    for count, times in saves.items():
        rows.append([f"save → answerable, {count} file{'s' if count > 1 else ''}",
                     f"{statistics.median(times):.2f} s (median of {len(times)})",
                     " / ".join(f"{t:.2f}" for t in times)])
    print(f"{args.files:,} notes watched; debounce {settings.watch_debounce:g} s")
    print(markdown_table(["measure", "value", "runs"], rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
