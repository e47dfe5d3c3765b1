"""Slack over HTTP: signed requests are processed, forged or stale ones get 401 and nothing."""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp
import pytest
from pydantic import SecretStr

from bot.app.platforms import build_slack
from bot.state.store import StateStore
from tests.fakes.slack_events import event_callback, mention, signed_headers
from tests.fakes.slack_fake import FakeSlack
from tests.support import runtime_for

SECRET = "test-signing-secret"


@pytest.fixture
async def http_bot(sample_index, embedder, tmp_path):
    fake = FakeSlack().start()
    settings = sample_index.model_copy(
        update={
            "slack_bot_token": SecretStr("xoxb-test"),
            "slack_signing_secret": SecretStr(SECRET),
            "slack_api_url": fake.api_url,
            "slack_allowed_channels": ["CGENERAL"],
            "slack_http_host": "127.0.0.1",
            "slack_http_port": 0,
        }
    )
    runtime = runtime_for(settings, embedder)
    state = StateStore(tmp_path / "state.sqlite3")
    bot = build_slack(settings, assistant=runtime.assistant, state=state)
    await bot.start()
    yield fake, f"http://127.0.0.1:{bot.port}/slack/events"
    await bot.stop(5)
    state.close()
    runtime.close()
    fake.stop()


async def post(url: str, body: str, headers: dict[str, str]) -> int:
    async with aiohttp.ClientSession() as session, session.post(
        url, data=body, headers=headers
    ) as response:
        return response.status


async def finished(fake) -> list[dict]:
    """The chat.stopStream calls (answers stream natively by default): finished answers."""
    for _ in range(500):
        if done := fake.calls_to("chat.stopStream"):
            return done
        await asyncio.sleep(0.02)
    raise AssertionError(f"no finished answer: {fake.calls}")


def event_body(ts: str) -> str:
    event = mention("Sentence-BERT とは", user="UANY", channel="CGENERAL", ts=ts)
    return json.dumps(event_callback(event))


async def test_signed_event_is_answered(http_bot):
    fake, url = http_bot
    body = event_body(fake.next_ts())
    ts = json.loads(body)["event"]["ts"]
    assert await post(url, body, signed_headers(body, SECRET)) == 200
    (answer,) = await finished(fake)
    (stream,) = fake.calls_to("chat.startStream")
    assert stream["thread_ts"] == ts and stream["recipient_user_id"] == "UANY"
    assert "Sentence-BERT" in stream["markdown_text"]
    assert answer["channel"] == "CGENERAL" and "paper-notes.txt" in json.dumps(answer["blocks"])


@pytest.mark.parametrize(
    "headers",
    [
        lambda body: signed_headers(body, "wrong-secret"),
        lambda body: signed_headers(body, SECRET, timestamp=int(time.time()) - 301),
        lambda body: {"Content-Type": "application/json"},
    ],
    ids=["bad-signature", "stale-timestamp", "unsigned"],
)
async def test_forged_or_stale_requests_get_401_and_no_processing(http_bot, headers):
    fake, url = http_bot
    body = event_body(fake.next_ts())
    assert await post(url, body, headers(body)) == 401
    await asyncio.sleep(0.5)
    assert fake.calls_to("chat.postMessage") == [] and fake.calls_to("chat.startStream") == []


async def test_a_retried_delivery_is_acked_but_answered_once(http_bot):
    fake, url = http_bot
    body = event_body(fake.next_ts())
    first = signed_headers(body, SECRET)
    retry = {**signed_headers(body, SECRET), "X-Slack-Retry-Num": "1",
             "X-Slack-Retry-Reason": "http_timeout"}
    assert await post(url, body, first) == 200
    assert await post(url, body, retry) == 200
    (answer,) = await finished(fake)
    await asyncio.sleep(0.5)
    assert len(fake.calls_to("chat.startStream")) == 1 and fake.calls_to("chat.stopStream") == [
        answer
    ]
