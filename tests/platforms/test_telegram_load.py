"""Many questions at once through the real PTB Application against the fake Bot API: all
answered, over a connection that drops writes, with no answer shown twice."""

from __future__ import annotations

import asyncio
import functools
from dataclasses import replace

import pytest

from bot.core.access import Allowlist
from tests.fakes.telegram_updates import private_text
from tests.platforms.test_telegram_bot import (
    APOLOGIES,
    PLACEHOLDERS,
    final_messages,
    telegram_settings,
)
from tests.platforms.worlds import running


@pytest.fixture
async def world(sample_index, embedder, tmp_path):
    settings = functools.partial(telegram_settings, sample_index)
    async with running("telegram", settings, embedder, tmp_path) as world:
        yield world


async def test_twenty_users_at_once_get_twenty_answers(world):
    users = list(range(5000, 5020))
    talk = world.bot.handlers.conversation
    talk.policy = replace(talk.policy, allow=Allowlist.of(users=users))
    for user_id in users:
        world.fake.push_update(private_text("Transformer はなぜ学習が速い？", user_id=user_id))
    for user_id in users:
        (answer,) = await final_messages(world, user_id, timeout=40)
        assert "deep-dive_attention.md" in answer["text"]


@pytest.fixture
async def drafts_world(sample_index, embedder, tmp_path):
    settings = functools.partial(telegram_settings, sample_index, telegram_drafts=True)
    async with running("telegram", settings, embedder, tmp_path) as world:
        yield world


@pytest.mark.parametrize("at_random", [False, True], ids=["every 5th write", "20% at random"])
async def test_fifty_questions_from_ten_users_survive_dropped_writes(drafts_world, at_random):
    """Private chats as Telegram users have them: drafts, then the final message."""
    world, users = drafts_world, list(range(6000, 6010))
    talk = world.bot.handlers.conversation
    talk.policy = replace(talk.policy, allow=Allowlist.of(users=users))
    # The endpoint closes every connection after its response and drops one write in five.
    writes = {"sendMessage", "editMessageText", "sendMessageDraft"}
    world.fake.resets.arm(every=5, methods=writes, at_random=at_random)
    started = asyncio.get_running_loop().time()
    for i in range(50):
        question = f"Transformer はなぜ学習が速い？ ({i})"
        world.fake.push_update(private_text(question, user_id=users[i % 10]))
    for user_id in users:
        answers = await final_messages(world, user_id, count=5, timeout=90)
        assert all("deep-dive_attention.md" in a["text"] for a in answers), answers
    seconds = asyncio.get_running_loop().time() - started
    await asyncio.sleep(1.0)  # a late duplicate would show by now
    duplicates = 0
    for user_id in users:
        texts = [m["text"] for m in world.fake.messages(user_id)]
        assert not APOLOGIES & set(texts), texts
        assert not PLACEHOLDERS & set(texts), "every placeholder became an answer"
        duplicates += len(texts) - 5
    assert duplicates <= 1
    assert len(world.fake.resets.dropped) >= 20
    print(f"telegram, {'random' if at_random else 'every 5th'}: 50/50 answered in "
          f"{seconds:.1f} s, {duplicates} duplicates, {len(world.fake.resets.dropped)} dropped")
