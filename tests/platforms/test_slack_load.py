"""Many questions at once through the real Bolt app against the fake Slack: all answered, in
their threads, over a connection that drops writes, with no answer shown twice."""

from __future__ import annotations

import asyncio
import functools
from collections import Counter
from dataclasses import replace

import pytest

from bot.core.access import Allowlist
from tests.fakes.slack_events import event_callback, mention
from tests.platforms.test_slack_bot import (
    ALLOWED,
    APOLOGIES,
    CHANNEL,
    ask,
    block_text,
    final_answer,
    slack_settings,
)
from tests.platforms.worlds import running


@pytest.fixture
async def world(sample_index, embedder, tmp_path):
    settings = functools.partial(slack_settings, sample_index)
    async with running("slack", settings, embedder, tmp_path) as world:
        yield world


async def test_fifty_concurrent_mentions_get_fifty_answers(world):
    events = [
        mention(f"Transformer はなぜ学習が速い？ ({i})", user=ALLOWED, channel=CHANNEL,
                ts=world.fake.next_ts())
        for i in range(50)
    ]
    envelopes = await asyncio.gather(
        *(world.fake.deliver("events_api", event_callback(e)) for e in events)
    )
    acks = await asyncio.gather(*(world.fake.wait_ack(e, timeout=10) for e in envelopes))
    assert max(seconds for seconds, _ in acks) < 3.0
    answers = await final_answer(world, 50)
    assert len({a["ts"] for a in answers}) == 50
    threads = {p["thread_ts"] for p in world.fake.calls_to("chat.postMessage")}
    assert threads == {e["ts"] for e in events}


@pytest.mark.parametrize("at_random", [False, True], ids=["every 5th write", "20% at random"])
async def test_fifty_questions_from_ten_users_survive_dropped_writes(world, at_random):
    users = [f"U{n:03d}" for n in range(10)]
    talk = world.bot.conversation
    talk.policy = replace(talk.policy, allow=Allowlist.of(users=users))
    world.fake.resets.arm(every=5, methods={"chat.postMessage", "chat.update"},
                          at_random=at_random)
    events = [
        mention(f"Transformer はなぜ学習が速い？ ({i})", user=users[i % 10], channel=CHANNEL,
                ts=world.fake.next_ts())
        for i in range(50)
    ]
    started = asyncio.get_running_loop().time()
    await asyncio.gather(*(ask(world, e) for e in events))
    answers = await final_answer(world, 50)
    seconds = asyncio.get_running_loop().time() - started
    assert len(world.fake.resets.dropped) >= 20  # one write in five never reached Slack
    assert len({a["ts"] for a in answers}) == 50
    assert all("deep-dive_attention.md" in block_text(a["blocks"]) for a in answers)
    await asyncio.sleep(1.0)  # a late duplicate would show by now
    shown = [m for m in world.fake.messages[CHANNEL]
             if "deep-dive_attention.md" in str(m.get("blocks"))]
    per_thread = Counter(m["thread_ts"] for m in shown)
    assert set(per_thread) == {e["ts"] for e in events}, "every question answered in its thread"
    duplicates = sum(n - 1 for n in per_thread.values())
    assert duplicates <= 1, per_thread
    notices = [u for u in world.fake.calls_to("chat.update") if u["text"] in APOLOGIES]
    assert notices == []
    print(f"slack, {'random' if at_random else 'every 5th'}: 50/50 answered in {seconds:.1f} s, "
          f"{duplicates} duplicates, {len(world.fake.resets.dropped)} writes dropped")
