"""What a chat user waits for: first visible text after their message, and the write rate per
chat, through the real bots (Bolt, PTB) against the local wire-true fakes, no LLM.

"First visible" is the first write the user can see: Slack's assistant status (or the stream's
first text), Telegram's first draft. Targets: ≤ 1 s, and ≤ 1 write per second per chat. The
ratios printed are measured ÷ target (≤ 1 meets it), from one run:

    .venv/bin/notesbot ingest --notes-dir samples/notes --data-dir /tmp/nb_samples
    .venv/bin/python bench/bot_latency.py --data-dir /tmp/nb_samples --questions 20
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sys
import tempfile
import time
from pathlib import Path

from pydantic import SecretStr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _jsquad import percentile

from bot.app.compose import build_runtime
from bot.app.platforms import build_slack, build_telegram
from bot.app.settings import Settings
from bot.state.store import StateStore
from tests.fakes.slack_events import event_callback, message
from tests.fakes.slack_fake import FakeSlack
from tests.fakes.telegram_fake import FakeTelegram
from tests.fakes.telegram_updates import private_text

QUESTIONS = ("Transformer はなぜ学習が速い？", "Sentence-BERT とは", "ColBERT の要点は？",
             "What is Dense Passage Retrieval?", "BM25S はなぜ速い？")
SLACK_VISIBLE = ("assistant.threads.setStatus", "chat.startStream", "chat.postMessage")
# Message writes (the assistant status is thread metadata, not a message: not counted).
SLACK_WRITES = ("chat.startStream", "chat.appendStream", "chat.stopStream", "chat.update",
                "chat.postMessage")
TELEGRAM_WRITES = ("sendMessageDraft", "sendMessage", "editMessageText")


def min_gap(times: list[float]) -> float:
    """The shortest time between two message writes in one chat (inf: a single write)."""
    ordered = sorted(times)
    return min((b - a for a, b in itertools.pairwise(ordered)), default=float("inf"))


async def slack_run(settings: Settings, state: StateStore, count: int) -> tuple[list, list]:
    fake = FakeSlack().start()
    runtime = build_runtime(settings.model_copy(update={"slack_api_url": fake.api_url}))
    bot = build_slack(settings.model_copy(update={"slack_api_url": fake.api_url}),
                      assistant=runtime.assistant, state=state)
    await bot.start()
    await fake.wait_connected()
    firsts, rates = [], []
    for i in range(count):
        channel = f"D{i:04d}"
        ts = fake.next_ts()
        sent = time.monotonic()
        event = message(QUESTIONS[i % len(QUESTIONS)], user="UBENCH", channel=channel, ts=ts,
                        channel_type="im")
        await fake.deliver("events_api", event_callback(event))
        await fake.wait_for("chat.stopStream", i + 1, timeout=30)
        mine = [c for c in fake.calls
                if channel in (c.params.get("channel"), c.params.get("channel_id"))]
        firsts.append(min(c.at for c in mine if c.method in SLACK_VISIBLE) - sent)
        writes = [c for c in mine if c.method in SLACK_WRITES]
        rates.append(min_gap([c.at for c in writes]))
    await bot.stop(5)
    runtime.close()
    fake.stop()
    return firsts, rates


async def telegram_run(settings: Settings, state: StateStore, count: int) -> tuple[list, list]:
    fake = FakeTelegram().start()
    local = settings.model_copy(update={"telegram_base_url": fake.base_url})
    runtime = build_runtime(local)
    bot = build_telegram(local, assistant=runtime.assistant, state=state)
    await bot.start()
    firsts, rates = [], []
    for i in range(count):
        user = 7000 + i
        sent = time.monotonic()
        fake.push_update(private_text(QUESTIONS[i % len(QUESTIONS)], user_id=user))
        await fake.wait_for("sendMessage", i + 1, timeout=30)
        writes = [c for c in fake.calls if c.method in TELEGRAM_WRITES
                  and int(c.params.get("chat_id", 0)) == user]
        firsts.append(min(c.at for c in writes) - sent)
        rates.append(min_gap([c.at for c in writes]))
    await bot.stop(5)
    runtime.close()
    fake.stop()
    return firsts, rates


def report(name: str, firsts: list[float], gaps: list[float]) -> None:
    p50, p95 = percentile(firsts, 50), percentile(firsts, 95)
    gap = min(gaps)
    print(f"| {name} | {len(firsts)} | {p50 * 1000:.0f} / {p95 * 1000:.0f} ms | "
          f"{p95 / 1.0:.3f} | {gap * 1000:.0f} ms | {1.0 / gap:.2f} |")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--questions", type=int, default=20)
    args = parser.parse_args()
    allowed = {"slack_allowed_users": ["UBENCH"],
               "telegram_allowed_users": [str(7000 + i) for i in range(args.questions)]}
    base = Settings(
        _env_file=None, data_dir=args.data_dir, slack_bot_token=SecretStr("xoxb-bench"),
        slack_app_token=SecretStr("xapp-bench"), telegram_token=SecretStr("1:bench"),
        telegram_poll_timeout=1, user_questions_per_minute=1000, **allowed,
    )
    with tempfile.TemporaryDirectory() as tmp:
        state = StateStore(Path(tmp) / "state.sqlite3")
        slack = await slack_run(base, state, args.questions)
        telegram = await telegram_run(base, state, args.questions)
        state.close()
    print("| bot | questions | first visible p50 / p95 | p95 ÷ 1 s target "
          "| shortest gap between writes in a chat | writes/s ÷ 1/s target |")
    print("|---|---|---|---|---|---|")
    report("Slack DM (native stream)", *slack)
    report("Telegram DM (drafts)", *telegram)


if __name__ == "__main__":
    asyncio.run(main())
