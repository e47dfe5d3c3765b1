"""The Telegram bot through the real PTB Application (base_url) against a fake Bot API."""

from __future__ import annotations

import asyncio
import functools
import json

import pytest
from pydantic import SecretStr
from telegram import Update

from bot.app.platforms import build_telegram
from bot.core.phrases import phrase
from bot.state.store import StateStore
from tests.fakes.telegram_fake import FakeTelegram
from tests.fakes.telegram_updates import (
    callback_query,
    command,
    group_text,
    inline_query,
    mention_in_group,
    private_text,
    reply_to_bot,
)
from tests.platforms.worlds import World, running
from tests.support import eventually, runtime_for

ALLOWED, STRANGER, GROUP = 111, 222, -100500
APOLOGIES = {phrase(k, lang) for k in ('apology', 'undelivered') for lang in ('ja', 'en')}
PLACEHOLDERS = {phrase("thinking", "ja"), phrase("thinking", "en")}


def telegram_settings(sample_index, fake: FakeTelegram, **extra):
    return sample_index.model_copy(
        update={
            "telegram_token": SecretStr("123456:TEST-SECRET-TOKEN"),
            "telegram_base_url": fake.base_url,
            "telegram_allowed_users": [str(ALLOWED)],
            "telegram_allowed_chats": [str(GROUP)],
            "telegram_poll_timeout": 1,
            "telegram_timeout": 10.0,
            "user_questions_per_minute": 200,
            "telegram_drafts": False,  # the edit-in-place path (drafts: test_telegram_drafts)
            **extra,
        }
    )


@pytest.fixture
async def world(sample_index, embedder, tmp_path):
    settings = functools.partial(telegram_settings, sample_index)
    async with running("telegram", settings, embedder, tmp_path) as world:
        yield world


async def final_messages(world: World, chat: int, count: int = 1, timeout: float = 20) -> list:
    """Bot messages in ``chat`` that finished (HTML answers), waiting for ``count``."""
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        done = [
            m for m in world.fake.messages(chat)
            if m["parse_mode"] == "HTML" and m["text"] not in PLACEHOLDERS
        ]
        if len(done) >= count:
            return done
        await asyncio.sleep(0.05)
    raise AssertionError(f"{count} answers expected in {chat}: {world.fake.messages(chat)}")


async def test_commands_are_registered_in_two_languages(world):
    calls = await world.fake.wait_for("setMyCommands", 2)
    names = [c["command"] for c in calls[0]["commands"]]
    assert {"ask", "paper", "search", "new", "digest", "subscribe", "unsubscribe"} <= set(names)
    assert calls[1]["language_code"] == "ja"


async def test_dm_gets_a_streamed_answer_with_sources(world):
    world.fake.push_update(private_text("Transformer はなぜ学習が速い？", user_id=ALLOWED))
    (answer,) = await final_messages(world, ALLOWED)
    assert "並列" in answer["text"] and "出典" in answer["text"]
    assert "[1] Attention Is All You Need · deep-dive_attention.md ›" in answer["text"]
    assert '<a href="http://arxiv.org/abs/1706.03762v7">' in answer["raw"]
    assert answer["link_preview_options"] == {"is_disabled": True}
    actions = world.fake.calls_to("sendChatAction")
    assert actions and actions[0]["action"] == "typing"
    # The turn is stored just after the final edit lands.
    assert await eventually(lambda: len(world.state.history("telegram", str(ALLOWED), 10)) == 2)
    assert [t.role for t in world.state.history("telegram", str(ALLOWED), 10)] == [
        "user", "assistant"
    ]


async def test_groups_answer_mentions_and_replies_only(world):
    chatter = group_text("Transformer の話をしよう", chat_id=GROUP, user_id=ALLOWED)
    world.fake.push_update(chatter)
    await asyncio.sleep(1.0)
    assert world.fake.messages(GROUP) == [], "a group message not for the bot is ignored"
    asked = mention_in_group("Sentence-BERT とは", chat_id=GROUP, user_id=ALLOWED)
    world.fake.push_update(asked)
    (first,) = await final_messages(world, GROUP)
    assert "paper-notes.txt" in first["text"] and first["reply_to_message_id"]
    follow = reply_to_bot("ColBERT について教えて", chat_id=GROUP, user_id=STRANGER,
                          bot_message_id=first["message_id"])
    world.fake.push_update(follow)
    _, second = await final_messages(world, GROUP, 2)
    assert "ColBERT" in second["text"], "allowlisted chat: anyone in it may ask"


async def test_paper_command_gives_140_characters_and_a_link(world):
    world.fake.push_update(command("paper", "1706.03762", chat_id=ALLOWED, user_id=ALLOWED))
    (reply,) = await final_messages(world, ALLOWED)
    title, summary, link = reply["text"].split("\n")
    assert title == "Attention Is All You Need" and 0 < len(summary) <= 140
    assert link == "http://arxiv.org/abs/1706.03762v7"


async def test_new_forgets_and_search_lists_passages(world):
    world.fake.push_update(private_text("Sentence-BERT とは", user_id=ALLOWED))
    await final_messages(world, ALLOWED)
    assert await eventually(lambda: len(world.state.history("telegram", str(ALLOWED), 10)) == 2)
    world.fake.push_update(command("new", chat_id=ALLOWED, user_id=ALLOWED))
    _, forgotten = await final_messages(world, ALLOWED, 2)
    assert forgotten["text"] == phrase("forgotten", "ja")
    assert world.state.history("telegram", str(ALLOWED), 10) == []
    world.fake.push_update(command("search", "ColBERT", chat_id=ALLOWED, user_id=ALLOWED))
    *_, hits = await final_messages(world, ALLOWED, 3)
    assert "[1]" in hits["text"] and "2026-01-10_session.md" in hits["text"]


async def test_a_stranger_is_refused_with_their_id_and_no_note_content(world):
    world.fake.push_update(private_text("Transformer はなぜ学習が速い？", user_id=STRANGER))
    (refusal,) = await world.fake.wait_for("sendMessage")
    assert str(STRANGER) in refusal["text"]
    assert "NOTESBOT_TELEGRAM_ALLOWED_USERS" in refusal["text"]
    await asyncio.sleep(0.5)
    sent = json.dumps([c.params for c in world.fake.calls], ensure_ascii=False)
    assert "並列" not in sent and "deep-dive" not in sent
    assert not world.fake.calls_to("sendChatAction")


async def test_duplicate_update_ids_are_answered_once(world):
    update = private_text("Sentence-BERT とは", user_id=ALLOWED)
    world.fake.push_update(dict(update, update_id=777))
    await final_messages(world, ALLOWED)
    again = Update.de_json(dict(update, update_id=777), world.bot.application.bot)
    world.bot.application.update_queue.put_nowait(again)  # as if Telegram sent it twice
    await asyncio.sleep(1.0)
    assert len(world.fake.calls_to("sendChatAction")) == 1


async def test_a_429_on_edit_is_waited_out_and_the_answer_completes(world):
    world.fake.fail_next("editMessageText", status=429, retry_after=1)
    world.fake.push_update(private_text("Sentence-BERT とは", user_id=ALLOWED))
    (answer,) = await final_messages(world, ALLOWED)
    edits = world.fake.timeline("editMessageText")
    assert len(edits) >= 2 and edits[-1] - edits[0] >= 0.95, "retried after retry_after"
    assert "paper-notes.txt" in answer["text"]


async def test_unparsable_html_is_resent_as_plain_text(world):
    world.fake.fail_next("editMessageText", status=400, retry_after=None,
                         description="Bad Request: can't parse entities: boom")
    world.fake.push_update(private_text("Sentence-BERT とは", user_id=ALLOWED))
    for _ in range(200):
        texts = [m["text"] for m in world.fake.messages(ALLOWED)]
        if any("paper-notes.txt" in t for t in texts):
            break
        await asyncio.sleep(0.05)
    (message,) = world.fake.messages(ALLOWED)
    assert "paper-notes.txt" in message["text"] and message["parse_mode"] is None


async def test_webhook_mode_checks_the_secret_token(sample_index, embedder, tmp_path):
    from tests.fakes.chroma import free_port
    from tests.fakes.telegram_fake import post_update

    fake = FakeTelegram().start()
    port = free_port()
    settings = telegram_settings(
        sample_index, fake, telegram_mode="webhook", telegram_webhook_listen="127.0.0.1",
        telegram_webhook_port=port, telegram_webhook_url="https://bot.example.org/telegram",
        telegram_webhook_secret=SecretStr("hook-secret"),
    )
    runtime = runtime_for(settings, embedder)
    state = StateStore(tmp_path / "state.sqlite3")
    bot = build_telegram(settings, assistant=runtime.assistant, state=state)
    await bot.start()
    try:
        (hook,) = await fake.wait_for("setWebhook")
        assert hook["url"] == "https://bot.example.org/telegram"
        assert hook["secret_token"] == "hook-secret"
        url = f"http://127.0.0.1:{port}/telegram"
        update = {"update_id": 1, **private_text("Sentence-BERT とは", user_id=ALLOWED)}
        assert await post_update(url, update, "wrong") == 403
        assert await post_update(url, update, None) == 403
        await asyncio.sleep(0.5)
        assert not fake.calls_to("sendMessage"), "a rejected update is not processed"
        assert await post_update(url, update, "hook-secret") == 200
        world = World(fake, bot, state)
        (answer,) = await final_messages(world, ALLOWED)
        assert "paper-notes.txt" in answer["text"]
    finally:
        await bot.stop(5)
        state.close()
        runtime.close()
        fake.stop()


async def test_a_vote_is_stored_with_the_answer_it_judges(world):
    world.fake.push_update(private_text("Sentence-BERT とは", user_id=ALLOWED))
    (answer,) = await final_messages(world, ALLOWED)
    final_edit = world.fake.calls_to("editMessageText")[-1]
    assert "fb:up" in json.dumps(final_edit.get("reply_markup")), "👍/👎 under the answer"
    world.fake.push_update(callback_query("fb:up", chat_id=ALLOWED, user_id=ALLOWED,
                                          message=answer))
    (ack,) = await world.fake.wait_for("answerCallbackQuery")
    assert ack["text"] == phrase("feedback_thanks", "ja")
    (vote,) = world.state.votes()
    assert (vote["platform"], vote["ref"], vote["vote"]) == (
        "telegram", f"{ALLOWED}:{answer['message_id']}", "up")
    assert vote["question"] == "Sentence-BERT とは" and vote["user"] == str(ALLOWED)
    assert vote["citations"][0]["source"] == "paper-notes.txt"


async def test_buttons_under_an_answer_show_its_cited_passages_and_its_paper_in_140(world):
    world.fake.push_update(private_text("Transformer はなぜ学習が速い？", user_id=ALLOWED))
    (answer,) = await final_messages(world, ALLOWED)
    markup = world.fake.calls_to("editMessageText")[-1]["reply_markup"]
    rows = [[(b["text"], b["callback_data"]) for b in row] for row in markup["inline_keyboard"]]
    assert rows == [[("👍", "fb:up"), ("👎", "fb:down")],
                    [(phrase("button_sources", "ja"), "fb:src"),
                     (phrase("button_summary", "ja"), "fb:sum")]]
    for shown, data in enumerate(("fb:src", "fb:sum"), start=2):
        for user_id in (STRANGER, ALLOWED):  # a stranger's tap shows nothing
            world.fake.push_update(callback_query(data, chat_id=ALLOWED, user_id=user_id,
                                                  message=answer))
        assert await eventually(lambda shown=shown: len(world.fake.messages(ALLOWED)) >= shown)
    sources, summary = world.fake.messages(ALLOWED)[1:]
    assert sources["reply_to_message_id"] == summary["reply_to_message_id"] == answer["message_id"]
    assert sources["text"].startswith(phrase("sources", "ja"))
    assert "deep-dive_attention.md" in sources["text"] and "(L" in sources["text"]
    assert "<blockquote expandable>" in world.fake.calls_to("sendMessage")[-2]["text"]
    assert summary["text"].startswith("Attention Is All You Need")
    assert "arxiv.org/abs/1706.03762" in summary["text"]
    assert len(world.fake.calls_to("answerCallbackQuery")) == 4, "every tap is acknowledged"
    assert len(world.fake.messages(ALLOWED)) == 3, "the stranger's taps showed nothing"


async def test_inline_mode_offers_matching_papers_140_characters_each_to_allowed_users(world):
    world.fake.push_update(inline_query("Attention", user_id=ALLOWED))
    world.fake.push_update(inline_query("Attention", user_id=STRANGER))
    answers = await world.fake.wait_for("answerInlineQuery", 2)
    decoded = [json.loads(a["results"]) if isinstance(a["results"], str) else a["results"]
               for a in answers]
    offered = max(decoded, key=len)
    assert min(decoded, key=len) == [], "a stranger gets nothing"
    first = offered[0]
    assert first["type"] == "article" and first["title"] == "Attention Is All You Need"
    assert 0 < len(first["description"]) <= 140
    posted = first["input_message_content"]
    assert posted["parse_mode"] == "HTML" and "1706.03762" in posted["message_text"]
    assert all(a["is_personal"] in (True, "true", "True") for a in answers)
