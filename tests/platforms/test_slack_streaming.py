"""Slack's native streams, through the real Bolt app against the fake Slack: the wire calls
in order, the assistant status set and cleared, and the chat.update fallback when refused."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.phrases import SUGGESTED_PROMPTS, phrase
from tests.fakes.openai_fake import MODEL, Reply
from tests.fakes.slack_events import event_callback, message
from tests.fakes.slack_fake import Fail
from tests.platforms.test_slack_bot import ALLOWED, slack_settings
from tests.platforms.worlds import World, running

DM = "DSTREAM"
STREAM_CALLS = ("chat.startStream", "chat.appendStream", "chat.stopStream")
# Grounded in the sample deep dive (so the grounding guard keeps it), long enough to stream.
ANSWER = (
    "Transformer は再帰も畳み込みも使わず、自己注意だけで構成したモデルです [1]。"
    "そのため並列化しやすく、長い系列でも学習が速くなりました [1]。"
    "WMT 2014 英独翻訳で BLEU 28.4 を達成し、学習コストも従来より大幅に小さかった [1]。"
)


@pytest.fixture
async def world(sample_index, embedder, tmp_path, openai_server):
    def settings(fake):
        return slack_settings(sample_index, fake, slack_native_streaming=True,
                              llm_base_url=openai_server.base_url, llm_model=MODEL)

    async with running("slack", settings, embedder, tmp_path) as world:
        yield world


async def dm(world: World, text: str) -> str:
    ts = world.fake.next_ts()
    event = message(text, user=ALLOWED, channel=DM, ts=ts, channel_type="im")
    envelope = await world.fake.deliver("events_api", event_callback(event))
    await world.fake.wait_ack(envelope)
    return ts


def wire(world: World, methods: tuple[str, ...]) -> list[str]:
    return [c.method for c in world.fake.calls if c.method in methods]


async def test_a_dm_answer_streams_natively_and_ends_as_the_plain_answer(world, openai_server):
    openai_server.script(Reply(ANSWER, pace=0.15))  # ~6 s of generation: appends at 1/s
    ts = await dm(world, "Transformer はなぜ学習が速い？")
    (stop,) = await world.fake.wait_for("chat.stopStream", timeout=20)
    calls = wire(world, STREAM_CALLS)
    assert calls[0] == "chat.startStream" and calls[-1] == "chat.stopStream"
    assert calls.count("chat.appendStream") >= 2 and calls.count("chat.startStream") == 1
    (start,) = world.fake.calls_to("chat.startStream")
    assert start["thread_ts"] == ts and start["recipient_user_id"] == ALLOWED
    (streamed,) = [m for m in world.fake.messages[DM] if m.get("ts") == stop["ts"]]
    assert streamed["text"] == ANSWER, "the streamed text is the checked answer, whole"
    assert "deep-dive_attention.md" in str(stop["blocks"]), "sources under the stream"
    assert world.fake.calls_to("chat.update") == [], "no edit path"
    statuses = await world.fake.wait_for("assistant.threads.setStatus", 2)  # cleared last
    assert [c["status"] for c in statuses] == [phrase("thinking", "ja"), ""]


async def test_a_workspace_that_refuses_streams_gets_edits_and_is_remembered(world):
    world.fake.fail_next("chat.startStream", Fail(error="method_not_supported"))
    await dm(world, "Sentence-BERT とは")
    answers = await final_updates(world, 1)
    assert "paper-notes.txt" in str(answers[0]["blocks"])
    await dm(world, "ColBERT とは")
    answers = await final_updates(world, 2)
    assert "2026-01-10_session.md" in str(answers[1]["blocks"])
    assert len(world.fake.calls_to("chat.startStream")) == 1, "refused once, not tried again"


async def final_updates(world: World, count: int) -> list[dict]:
    for _ in range(500):
        done = [c for c in world.fake.calls_to("chat.update") if c.get("blocks")]
        if len(done) >= count:
            return done
        await asyncio.sleep(0.02)
    raise AssertionError(world.fake.calls)


async def test_an_assistant_thread_is_offered_the_suggested_prompts(world):
    event = {"type": "assistant_thread_started", "assistant_thread": {
        "user_id": ALLOWED, "channel_id": DM, "thread_ts": "1700000000.000100",
        "context": {}}, "event_ts": "1700000000.000200"}
    await world.fake.deliver("events_api", event_callback(event))
    (offer,) = await world.fake.wait_for("assistant.threads.setSuggestedPrompts")
    assert offer["channel_id"] == DM and offer["thread_ts"] == "1700000000.000100"
    assert [p["title"] for p in offer["prompts"]] == [t for t, _ in SUGGESTED_PROMPTS]


async def test_a_stranger_in_a_dm_is_told_why_even_with_streams_on(world):
    event = message("Transformer とは", user="USTRANGER", channel=DM, ts=world.fake.next_ts(),
                    channel_type="im")
    await world.fake.deliver("events_api", event_callback(event))
    (refusal,) = await world.fake.wait_for("chat.postMessage")
    assert "USTRANGER" in refusal["text"] and "NOTESBOT_SLACK_ALLOWED_USERS" in refusal["text"]
    assert world.fake.calls_to("chat.startStream") == []
