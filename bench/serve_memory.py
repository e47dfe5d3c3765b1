"""Memory (RSS) of `notesbot serve` over a large index, idle and after answering questions.

Runs the real `notesbot serve` (Telegram only, against the tests' fake Bot API on 127.0.0.1),
sends it JSQuAD questions as DMs (a quarter in English, which loads the embedder for dense
retrieval), and reads VmRSS / VmHWM from /proc. Compares the 100k-chunk synthetic index that
search_latency.py builds with the three sample notes.

    .venv/bin/python bench/search_latency.py --sizes 100000   # builds the large index once
    .venv/bin/python bench/serve_memory.py
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from _jsquad import JSQUAD_DIR, WORK_DIR, load_jsquad, log, markdown_table, sample_questions

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.fakes.chroma import free_port  # noqa: E402
from tests.fakes.telegram_fake import FakeTelegram  # noqa: E402
from tests.fakes.telegram_updates import private_text  # noqa: E402

NOTESBOT = Path(sys.executable).with_name("notesbot")
ENGLISH = ["What is this paragraph about?", "Which year is mentioned?", "Who founded it?"]


def memory_kb(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0])
    return fields


async def healthy(port: int, proc: subprocess.Popen) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(600):
            if proc.poll() is not None:
                raise RuntimeError("serve exited")
            try:
                await client.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                return
            except httpx.HTTPError:
                await asyncio.sleep(0.2)
    raise RuntimeError("serve never became healthy")


async def measure(data: Path, questions: list[str]) -> dict[str, float]:
    fake = FakeTelegram().start()
    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "NOTESBOT_DATA_DIR": str(data),
           "NOTESBOT_TELEGRAM_TOKEN": "1:bench", "NOTESBOT_TELEGRAM_BASE_URL": fake.base_url,
           "NOTESBOT_TELEGRAM_ALLOWED_USERS": "7", "NOTESBOT_TELEGRAM_POLL_TIMEOUT": "1",
           "NOTESBOT_HEALTH_PORT": str(port), "NOTESBOT_USER_QUESTIONS_PER_MINUTE": "1000"}
    proc = subprocess.Popen([str(NOTESBOT), "serve"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        started = time.perf_counter()
        await healthy(port, proc)
        ready = time.perf_counter() - started
        idle = memory_kb(proc.pid)
        started = time.perf_counter()
        for question in questions:
            fake.push_update(private_text(question, user_id=7))
        await fake.wait_for("editMessageText", len(questions), timeout=600)
        answering = time.perf_counter() - started
        after = memory_kb(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        fake.stop()
    return {"ready_s": ready, "idle_mb": idle["VmRSS"] / 1024,
            "after_mb": after["VmRSS"] / 1024, "peak_mb": after["VmHWM"] / 1024,
            "answer_s": answering}


def small_index(work: Path) -> Path:
    data = work / "small"
    if not (data / "notes.sqlite3").exists():
        subprocess.run([str(NOTESBOT), "ingest", "--notes-dir", str(ROOT / "samples" / "notes"),
                        "--data-dir", str(data)], check=True, capture_output=True)
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--large", type=Path, default=WORK_DIR / "latency" / "size-100000")
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--work", type=Path, default=WORK_DIR / "memory")
    args = parser.parse_args()
    if not (args.large / "notes.sqlite3").exists():
        log(f"{args.large} is missing: run bench/search_latency.py --sizes 100000 first")
        return 2
    _, all_questions = load_jsquad(JSQUAD_DIR)
    japanese = [q.text for q in sample_questions(all_questions, args.questions, seed=1)]
    questions = [ENGLISH[i % 3] if i % 4 == 3 else q for i, q in enumerate(japanese)]
    args.work.mkdir(parents=True, exist_ok=True)
    large = args.work / "large"
    if not large.exists():  # a copy: serve writes state.sqlite3 beside the index
        shutil.copytree(args.large, large)
    rows = []
    for label, data in (("3 sample notes (13 chunks)", small_index(args.work)),
                        ("100,000 chunks", large)):
        log(f"serve over {label} ...")
        m = asyncio.run(measure(data, questions))
        rows.append([label, f"{m['ready_s']:.1f}", f"{m['idle_mb']:.0f}", f"{m['after_mb']:.0f}",
                     f"{m['peak_mb']:.0f}", f"{m['answer_s'] / len(questions) * 1000:.0f}"])
    print(f"notesbot serve memory: {len(questions)} DM questions via a fake Telegram, "
          "a quarter in English (they load the embedder)\n")
    print(markdown_table(["index", "ready s", "RSS idle MB", "RSS after MB", "peak MB",
                          "ms/answer (wall)"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
