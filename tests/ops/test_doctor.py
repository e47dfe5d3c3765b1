"""`notesbot doctor` against fake Slack, Telegram and OpenAI servers, each down in turn."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.app.diagnose import run_checks
from tests.fakes.arxiv_fake import FakeArxiv, FakeEntry
from tests.fakes.openai_fake import MODEL, FakeOpenAI
from tests.fakes.slack_fake import Fail, FakeSlack
from tests.fakes.telegram_fake import FakeTelegram

NOTESBOT = Path(sys.executable).with_name("notesbot")
SECRETS = {
    "slack": "xoxb-doctor-SECRET", "telegram": "123:doctor-SECRET", "llm": "sk-doctor-SECRET"
}


@pytest.fixture
def peers():
    servers = {"slack": FakeSlack(), "telegram": FakeTelegram(), "llm": FakeOpenAI(),
               "arxiv": FakeArxiv()}
    for server in servers.values():
        server.start()
    servers["arxiv"].entries = [FakeEntry("2503.09419v1", "A paper", "2026-11-24T09:00:00Z")]
    yield servers
    for server in servers.values():
        server.stop()


def urls(peers) -> dict[str, str]:
    return {"slack": peers["slack"].api_url, "telegram": peers["telegram"].base_url,
            "llm": peers["llm"].base_url, "arxiv": peers["arxiv"].base_url}


def configured(sample_index, addresses: dict[str, str]):
    return sample_index.model_copy(update={
        "slack_bot_token": SecretStr(SECRETS["slack"]), "slack_app_token": SecretStr("xapp-x"),
        "slack_api_url": addresses["slack"],
        "telegram_token": SecretStr(SECRETS["telegram"]),
        "telegram_base_url": addresses["telegram"],
        "llm_base_url": addresses["llm"], "llm_api_key": SecretStr(SECRETS["llm"]),
        "llm_model": MODEL, "notes_dir": sample_index.notes_dir,
        "arxiv_categories": ["cs.CL"], "arxiv_base_url": addresses["arxiv"],
        "arxiv_request_interval": 0.01, "arxiv_timeout": 2.0,
    })


def statuses(checks) -> dict[str, str]:
    found: dict[str, str] = {}
    for check in checks:  # a name may appear twice (e.g. index ok + warn): keep the worst
        if found.get(check.name) != "fail":
            found[check.name] = check.status
    return found


async def test_everything_up_is_ok(sample_index, peers):
    checks = await run_checks(configured(sample_index, urls(peers)))
    got = statuses(checks)
    assert got == {name: "ok" for name in got}, checks
    assert {"settings", "notes", "index", "bm25", "chroma", "embedder", "llm", "slack",
            "telegram", "arxiv"} <= set(got)
    assert "newest 2503.09419" in next(c.detail for c in checks if c.name == "arxiv")


@pytest.mark.parametrize("down", ["slack", "telegram", "llm", "arxiv"])
async def test_each_peer_down_fails_alone(sample_index, peers, down):
    addresses = urls(peers)
    peers[down].stop()  # connection refused from now on
    checks = await run_checks(configured(sample_index, addresses))
    got = statuses(checks)
    assert got[down] == "fail", checks
    assert all(status == "ok" for name, status in got.items() if name != down), checks


async def test_a_wrong_model_or_a_bad_token_is_named(sample_index, peers):
    settings = configured(sample_index, urls(peers)).model_copy(update={"llm_model": "nope"})
    peers["slack"].fail_next("auth.test", Fail(error="invalid_auth"))
    checks = {c.name: c for c in await run_checks(settings)}
    assert checks["llm"].status == "fail" and "nope" in checks["llm"].detail
    assert checks["slack"].status == "fail" and "invalid_auth" in checks["slack"].detail


def test_cli_exit_code_and_masked_secrets(sample_index, peers):
    env = {
        **os.environ, "HF_HUB_OFFLINE": "1", "NOTESBOT_DATA_DIR": str(sample_index.data_dir),
        "NOTESBOT_NOTES_DIR": str(sample_index.notes_dir),
        "NOTESBOT_SLACK_BOT_TOKEN": SECRETS["slack"], "NOTESBOT_SLACK_APP_TOKEN": "xapp-x",
        "NOTESBOT_SLACK_API_URL": peers["slack"].api_url,
        "NOTESBOT_LLM_BASE_URL": f"http://user:{SECRETS['llm']}@127.0.0.1:9/v1",
    }
    env["COLUMNS"] = "200"  # rich wraps the table to the terminal width
    result = subprocess.run(
        [str(NOTESBOT), "doctor"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1, result.stdout  # the LLM URL goes nowhere
    assert "slack" in result.stdout and "fail" in result.stdout
    assert "SECRET" not in result.stdout + result.stderr
