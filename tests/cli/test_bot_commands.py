"""The bot commands as real processes: configured by environment, stopped by SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fakes.slack_events import event_callback, mention
from tests.fakes.slack_fake import FakeSlack

pytestmark = pytest.mark.slow
NOTESBOT = Path(sys.executable).with_name("notesbot")


def start(command: str, env: dict[str, str], data: Path) -> subprocess.Popen[str]:
    full = {**os.environ, "NOTESBOT_DATA_DIR": str(data), "HF_HUB_OFFLINE": "1", **env}
    return subprocess.Popen(
        [str(NOTESBOT), command], env=full, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )


def stop(proc: subprocess.Popen[str]) -> tuple[int, float, str]:
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    output, _ = proc.communicate(timeout=20)
    return proc.returncode, time.monotonic() - started, output


def test_unconfigured_bots_say_what_to_set(sample_index):
    for command, needle in (("slack", "NOTESBOT_SLACK_BOT_TOKEN"), ("telegram", "TELEGRAM_TOKEN")):
        env = {k: v for k, v in os.environ.items() if not k.startswith("NOTESBOT_")}
        env |= {"NOTESBOT_DATA_DIR": str(sample_index.data_dir)}
        result = subprocess.run([str(NOTESBOT), command], env=env, capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 2 and needle in result.stderr


async def test_notesbot_slack_answers_and_stops_on_sigterm(sample_index):
    fake = FakeSlack().start()
    env = {
        "NOTESBOT_SLACK_BOT_TOKEN": "xoxb-cli-SECRET",
        "NOTESBOT_SLACK_APP_TOKEN": "xapp-cli-SECRET",
        "NOTESBOT_SLACK_API_URL": fake.api_url,
        "NOTESBOT_SLACK_ALLOWED_CHANNELS": "CGENERAL",
    }
    proc = start("slack", env, sample_index.data_dir)
    try:
        await fake.wait_connected(timeout=60)
        event = mention("Sentence-BERT とは", user="U1", channel="CGENERAL", ts=fake.next_ts())
        await fake.deliver("events_api", event_callback(event))
        (answer,) = await fake.wait_for("chat.stopStream", timeout=30)  # streamed natively
        assert "paper-notes.txt" in json.dumps(answer["blocks"])
    finally:
        code, seconds, output = stop(proc)
        fake.stop()
    assert code == 0 and seconds < 10, output
    assert "SECRET" not in output, "tokens never reach the logs"


async def test_notesbot_telegram_answers_and_stops_on_sigterm(sample_index):
    """With a fault on the way: one log line names it; no traceback, no progress bar."""
    from tests.fakes.base import Fault
    from tests.fakes.telegram_fake import FakeTelegram
    from tests.fakes.telegram_updates import private_text

    fake = FakeTelegram().start()
    env = {
        "NOTESBOT_TELEGRAM_TOKEN": "123:cli-SECRET",
        "NOTESBOT_TELEGRAM_BASE_URL": fake.base_url,
        "NOTESBOT_TELEGRAM_ALLOWED_USERS": "42",
        "NOTESBOT_TELEGRAM_POLL_TIMEOUT": "1",
    }
    proc = start("telegram", env, sample_index.data_dir)
    try:
        await fake.wait_for("getUpdates", timeout=60)
        fake.faults.add("sendMessage", Fault.http(500))
        fake.push_update(private_text("Sentence-BERT とは", user_id=42))
        await fake.wait_for("sendMessageDraft", timeout=30)  # a private chat: drafts, then
        _, answer = await fake.wait_for("sendMessage", 2, timeout=30)  # one final message
        assert "paper-notes.txt" in answer["text"]
    finally:
        code, seconds, output = stop(proc)
        fake.stop()
    assert code == 0 and seconds < 10, output
    assert "SECRET" not in output, "the token (it is in every Bot API URL) never reaches logs"
    faults = [line for line in output.splitlines() if "sendMessage: " in line]
    assert len(faults) == 1 and "Internal Server Error (retry 1 in" in faults[0], output
    assert "Traceback" not in output and "it/s" not in output and "Batches" not in output
