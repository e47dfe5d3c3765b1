"""`notesbot serve` and `notesbot digest` as real processes against fake Slack and Telegram."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import SAMPLE_NOTES
from tests.fakes.chroma import free_port
from tests.fakes.slack_events import event_callback, mention
from tests.fakes.slack_fake import FakeSlack
from tests.fakes.telegram_fake import FakeTelegram
from tests.fakes.telegram_updates import private_text
from tests.support import eventually

pytestmark = pytest.mark.slow
NOTESBOT = Path(sys.executable).with_name("notesbot")
CHANNEL, CHAT = "CDIGEST", -100900


@pytest.fixture
def world(tmp_path, sample_index):
    slack, telegram = FakeSlack().start(), FakeTelegram().start()
    data = tmp_path / "data"
    shutil.copytree(sample_index.data_dir, data, ignore=shutil.ignore_patterns("state.sqlite3*"))
    port = free_port()
    env = {
        **os.environ, "HF_HUB_OFFLINE": "1", "NOTESBOT_DATA_DIR": str(data),
        "NOTESBOT_NOTES_DIR": str(SAMPLE_NOTES),
        "NOTESBOT_SLACK_BOT_TOKEN": "xoxb-serve", "NOTESBOT_SLACK_APP_TOKEN": "xapp-serve",
        "NOTESBOT_SLACK_API_URL": slack.api_url, "NOTESBOT_SLACK_ALLOWED_USERS": "U1",
        "NOTESBOT_TELEGRAM_TOKEN": "123:serve", "NOTESBOT_TELEGRAM_BASE_URL": telegram.base_url,
        "NOTESBOT_TELEGRAM_ALLOWED_USERS": "42", "NOTESBOT_TELEGRAM_POLL_TIMEOUT": "1",
        "NOTESBOT_DIGEST_SLACK_CHANNELS": CHANNEL, "NOTESBOT_DIGEST_TELEGRAM_CHATS": str(CHAT),
        "NOTESBOT_HEALTH_PORT": str(port), "NOTESBOT_LOG_FORMAT": "json",
    }
    yield slack, telegram, env, port
    slack.stop()
    telegram.stop()


def digests(slack: FakeSlack, telegram: FakeTelegram) -> tuple[int, int]:
    to_slack = [c for c in slack.calls_to("chat.postMessage") if c["channel"] == CHANNEL]
    to_telegram = [c for c in telegram.calls_to("sendMessage") if int(c["chat_id"]) == CHAT]
    return len(to_slack), len(to_telegram)


async def wait_healthy(port: int, proc: subprocess.Popen, timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()[0]
            try:
                response = await client.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                return response.json()
            except httpx.HTTPError:
                await asyncio.sleep(0.2)
    raise AssertionError("serve never became healthy")


async def wait_digest_run(proc: subprocess.Popen, lines: list[str]) -> None:
    """The catch-up run logs one line per period; read the JSON logs until it is there."""
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, proc.stdout.readline)
        assert line, "serve exited before the digest ran"
        lines.append(line)
        if '"bot.digest.runs"' in line and "posted" in line:
            return


def terminate(proc: subprocess.Popen) -> tuple[int, float, str]:
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    rest, _ = proc.communicate(timeout=30)
    return proc.returncode, time.monotonic() - started, rest


async def test_serve_answers_both_platforms_posts_once_and_stops_on_sigterm(world):
    slack, telegram, env, port = world
    for start in range(3):
        proc = subprocess.Popen([str(NOTESBOT), "serve"], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        lines: list[str] = []
        try:
            health = await wait_healthy(port, proc)
            assert health["status"] == "ok" and health["chunks"] > 0
            assert set(health["services"]) == {"slack", "telegram", "digest"}
            await asyncio.wait_for(wait_digest_run(proc, lines), 60)
            if start == 0:
                await slack.wait_connected(30)
                event = mention("Sentence-BERT とは", user="U1", channel="CQ", ts=slack.next_ts())
                await slack.deliver("events_api", event_callback(event))
                telegram.push_update(private_text("Transformer はなぜ学習が速い？", user_id=42))
                (answer,) = await slack.wait_for("chat.stopStream", timeout=30)
                assert "paper-notes.txt" in json.dumps(answer["blocks"])
                # A private chat: drafts while writing, then the answer as one message.
                await telegram.wait_for("sendMessageDraft", timeout=30)
                assert await eventually(lambda: any(
                    "deep-dive_attention.md" in m["text"] and int(m["chat_id"]) == 42
                    for m in telegram.calls_to("sendMessage")
                ), timeout=30)
        finally:
            code, seconds, rest = terminate(proc)
        output = "".join(lines) + rest
        assert code == 0 and seconds < 10, output
        assert all(json.loads(line) for line in output.splitlines() if line.startswith("{"))
        assert digests(slack, telegram) == (1, 1), f"start {start + 1}: posted once per target"
    assert "xoxb-serve" not in output and "123:serve" not in output


def test_digest_post_for_cron_is_idempotent(world):
    slack, telegram, env, _ = world
    command = [str(NOTESBOT), "digest", "--post", "--json"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert sorted(report["posted"]) == [f"slack:{CHANNEL}", f"telegram:{CHAT}"]
    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert json.loads(second.stdout)["posted"] == [] and digests(slack, telegram) == (1, 1)
    dry = subprocess.run([str(NOTESBOT), "digest", "--dry-run", "--json"], env=env,
                         capture_output=True, text=True, timeout=120)
    previews = json.loads(dry.stdout)
    assert {p["target"] for p in previews} == {f"slack:{CHANNEL}", f"telegram:{CHAT}"}
    assert all(len(item["summary"]) <= 140 for p in previews for item in p["items"])
