"""Telegram's animated drafts in private chats, through the real PTB Application against the
fake Bot API: drafts, then one final message; edits in groups; a refused draft falls back."""

from __future__ import annotations

import pytest

from tests.fakes.openai_fake import MODEL, Reply
from tests.fakes.telegram_updates import mention_in_group, private_text
from tests.platforms.test_slack_streaming import ANSWER
from tests.platforms.test_telegram_bot import (
    ALLOWED,
    GROUP,
    final_messages,
    telegram_settings,
)
from tests.platforms.worlds import World, running


@pytest.fixture
async def world(sample_index, embedder, tmp_path, openai_server):
    def settings(fake):
        return telegram_settings(sample_index, fake, telegram_drafts=True,
                                 llm_base_url=openai_server.base_url, llm_model=MODEL)

    async with running("telegram", settings, embedder, tmp_path) as world:
        yield world


def wire(world: World, chat: int) -> list[str]:
    writes = ("sendMessageDraft", "sendMessage", "editMessageText")
    return [c.method for c in world.fake.calls
            if c.method in writes and int(c.params.get("chat_id", 0)) == chat]


async def test_a_private_question_shows_drafts_then_one_final_message(world, openai_server):
    openai_server.script(Reply(ANSWER, pace=0.05))
    update = private_text("Transformer はなぜ学習が速い？", user_id=ALLOWED)
    world.fake.push_update(update)
    (answer,) = await final_messages(world, ALLOWED, timeout=30)
    calls = wire(world, ALLOWED)
    assert calls.count("sendMessageDraft") >= 2 and calls[-1] == "sendMessage", calls
    assert calls.count("sendMessage") == 1 and "editMessageText" not in calls
    drafts = world.fake.calls_to("sendMessageDraft")
    assert {int(d["draft_id"]) for d in drafts} == {update["message"]["message_id"]}
    assert "BLEU 28.4" in answer["text"] and "deep-dive_attention.md" in answer["text"]
    gaps = [b - a for a, b in zip(world.fake.timeline("sendMessageDraft"),
                                  world.fake.timeline("sendMessageDraft")[1:], strict=False)]
    assert all(gap >= 0.9 for gap in gaps), f"≤ 1 draft a second: {gaps}"


async def test_a_group_question_edits_in_place(world):
    world.fake.push_update(mention_in_group("Sentence-BERT とは", chat_id=GROUP,
                                            user_id=ALLOWED))
    (answer,) = await final_messages(world, GROUP, timeout=30)
    assert "paper-notes.txt" in answer["text"]
    assert world.fake.calls_to("sendMessageDraft") == []
    assert world.fake.calls_to("editMessageText"), "the placeholder was edited into the answer"


async def test_a_rate_limited_draft_falls_back_to_edits_without_losing_the_answer(
    world, openai_server
):
    openai_server.script(Reply(ANSWER, pace=0.1))
    world.fake.fail_next("sendMessageDraft", status=429, retry_after=5, times=2)
    world.fake.push_update(private_text("Transformer はなぜ学習が速い？", user_id=ALLOWED))
    (answer,) = await final_messages(world, ALLOWED, timeout=30)
    assert "BLEU 28.4" in answer["text"] and "deep-dive_attention.md" in answer["text"]
    calls = wire(world, ALLOWED)
    assert calls[:3] == ["sendMessageDraft", "sendMessageDraft", "sendMessage"], calls
    assert set(calls[3:]) == {"editMessageText"}, "the placeholder edited into the answer"
    assert len(world.fake.messages(ALLOWED)) == 1


async def test_a_server_without_drafts_is_remembered(world):
    world.fake.fail_next("sendMessageDraft", status=404, retry_after=None,
                         description="Not Found: method not found", times=2)
    world.fake.push_update(private_text("Sentence-BERT とは", user_id=ALLOWED))
    await final_messages(world, ALLOWED, timeout=30)
    assert world.bot.handlers.drafts is False, "no chat will get drafts from this server"
