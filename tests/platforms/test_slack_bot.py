"""The Slack bot through the real Bolt app, over Socket Mode, against a fake Slack."""

from __future__ import annotations

import asyncio
import functools
import json

import pytest
from pydantic import SecretStr

from bot.core.phrases import phrase
from tests.fakes.slack_events import block_action, event_callback, mention, message, slash_command
from tests.fakes.slack_fake import BOT_USER, Fail, FakeSlack
from tests.platforms.worlds import World, running
from tests.support import eventually

APOLOGIES = {phrase(k, lang) for k in ('apology', 'undelivered') for lang in ('ja', 'en')}

ALLOWED, STRANGER, CHANNEL = "UALLOWED", "USTRANGER", "CGENERAL"


def slack_settings(sample_index, fake: FakeSlack, **extra):
    return sample_index.model_copy(
        update={
            "slack_bot_token": SecretStr("xoxb-test-token"),
            "slack_app_token": SecretStr("xapp-test-token"),
            "slack_api_url": fake.api_url,
            "slack_allowed_users": [ALLOWED],
            "draft_interval": 0.2,
            "user_questions_per_minute": 200,
            "slack_native_streaming": False,  # the chat.update path (streams: test_slack_streaming)
            **extra,
        }
    )


@pytest.fixture
async def world(sample_index, embedder, tmp_path):
    settings = functools.partial(slack_settings, sample_index)
    async with running("slack", settings, embedder, tmp_path) as world:
        yield world


async def ask(world: World, event: dict, event_id: str | None = None, **extra) -> float:
    """Deliver an event; return the ack latency."""
    envelope = await world.fake.deliver("events_api", event_callback(event, event_id), **extra)
    seconds, _ = await world.fake.wait_ack(envelope)
    return seconds


async def final_answer(world: World, count: int = 1) -> list[dict]:
    """The chat.update calls that carry blocks (the finished answers)."""
    for _ in range(500):
        done = [c for c in world.fake.calls_to("chat.update") if c.get("blocks")]
        if len(done) >= count:
            return done
        await asyncio.sleep(0.02)
    updates = world.fake.calls_to("chat.update")
    raise AssertionError(f"{count} final answers expected, updates: {updates}")


def block_text(blocks: list[dict]) -> str:
    texts = []
    for block in blocks:
        if block["type"] == "section":
            texts.append(block["text"]["text"])
        elif block["type"] == "context":
            texts.extend(e["text"] for e in block["elements"])
    return "\n".join(texts).replace("\u200b", "")  # the boundaries Slack needs, unseen


async def test_mention_gets_one_threaded_answer_with_sources(world):
    ts = world.fake.next_ts()
    question = mention("Transformer はなぜ学習が速い？", user=ALLOWED, channel=CHANNEL, ts=ts)
    latency = await ask(world, question)
    assert latency < 3.0
    (answer,) = await final_answer(world)
    (placeholder,) = world.fake.calls_to("chat.postMessage")
    assert placeholder["thread_ts"] == ts and placeholder["unfurl_links"] is False
    assert answer["ts"] != ts and answer["channel"] == CHANNEL
    text = block_text(answer["blocks"])
    assert "並列" in text
    assert "*[1]* <http://arxiv.org/abs/1706.03762v7|Attention Is All You Need> · deep-dive" in text
    assert "<http://arxiv.org/abs/1706.03762v7|Attention Is All You Need>" in text
    assert any(b["type"] == "actions" for b in answer["blocks"]), "👍/👎 buttons"


async def test_dm_gets_an_answer_and_remembers_it(world):
    ts = world.fake.next_ts()
    await ask(world, message("What is Sentence-BERT?", user=ALLOWED, channel="DALLOWED", ts=ts,
                             channel_type="im"))
    (answer,) = await final_answer(world)
    assert "paper-notes.txt" in block_text(answer["blocks"])
    assert world.fake.calls_to("chat.postMessage")[0].get("thread_ts") is None, "DMs: top level"
    assert await eventually(lambda: len(world.state.history("slack", "DALLOWED", 10)) == 2)
    assert [t.role for t in world.state.history("slack", "DALLOWED", 10)] == ["user", "assistant"]


async def test_a_thread_follow_up_uses_the_thread_as_memory(world):
    root = world.fake.next_ts()
    first = mention("ColBERT について教えて", user=ALLOWED, channel=CHANNEL, ts=root)
    world.fake.add_message(CHANNEL, first)
    await ask(world, first)
    await final_answer(world)
    reply_ts = world.fake.next_ts()
    follow = message("その論文の会議と年は？", user=ALLOWED, channel=CHANNEL, ts=reply_ts,
                     thread_ts=root)
    world.fake.add_message(CHANNEL, follow)
    await ask(world, follow)
    _, second = await final_answer(world, 2)
    assert world.fake.calls_to("conversations.replies")[0]["ts"] == root
    assert "SIGIR 2020" in block_text(second["blocks"])


async def test_retries_and_double_delivery_give_one_answer(world):
    ts = world.fake.next_ts()
    event = mention("Sentence-BERT とは", user=ALLOWED, channel=CHANNEL, ts=ts)
    await ask(world, event, event_id="EvSAME")
    await ask(world, event, event_id="EvSAME", retry_attempt=1, retry_reason="timeout")
    im = message("Sentence-BERT とは", user=ALLOWED, channel=CHANNEL, ts=ts)
    await ask(world, im, event_id="EvOTHER")  # the same message, delivered as message.*
    await final_answer(world)
    await asyncio.sleep(0.5)
    assert len(world.fake.calls_to("chat.postMessage")) == 1


async def test_a_stranger_is_refused_with_their_id_and_no_note_content(world):
    ts = world.fake.next_ts()
    question = mention("Transformer はなぜ学習が速い？", user=STRANGER, channel=CHANNEL, ts=ts)
    await ask(world, question)
    (refusal,) = await world.fake.wait_for("chat.postEphemeral")
    assert refusal["user"] == STRANGER and STRANGER in refusal["text"]
    assert "NOTESBOT_SLACK_ALLOWED_USERS" in refusal["text"]
    await asyncio.sleep(0.3)
    methods = {c.method for c in world.fake.calls}
    assert methods <= {"auth.test", "apps.connections.open", "chat.postEphemeral"}
    everything = json.dumps([c.params for c in world.fake.calls], ensure_ascii=False)
    assert "並列" not in everything and "deep-dive" not in everything


async def test_bots_are_ignored(world):
    ts = world.fake.next_ts()
    event = message("Transformer", user="UOTHERBOT", channel="DX", ts=ts, channel_type="im")
    await ask(world, {**event, "bot_id": "BOTHER"})
    await ask(world, message("echo", user=BOT_USER, channel="DX", ts=ts, channel_type="im"))
    await asyncio.sleep(0.3)
    assert world.fake.calls_to("chat.postMessage") == []


async def test_paper_command_gives_a_140_character_summary_and_link(world):
    payload = slash_command("/paper", "Attention Is All You Need", user=ALLOWED, channel=CHANNEL,
                            response_url=f"{world.fake.server.url}/response/1")
    envelope = await world.fake.deliver("slash_commands", payload)
    seconds, _ = await world.fake.wait_ack(envelope)
    assert seconds < 3.0
    (response,) = await world.fake.wait_for("response_url")
    assert response["response_type"] == "in_channel"
    title, summary, link = response["blocks"][0]["text"]["text"].split("\n")
    assert title == "*Attention Is All You Need*"
    assert 0 < len(summary) <= 140 and link == "<http://arxiv.org/abs/1706.03762v7>"


async def test_ask_and_search_commands(world):
    url = f"{world.fake.server.url}/response/2"
    await world.fake.deliver("slash_commands", slash_command(
        "/notes-search", "ColBERT", user=ALLOWED, channel=CHANNEL, response_url=url))
    (hits,) = await world.fake.wait_for("response_url")
    assert hits["response_type"] == "ephemeral" and "ColBERT" in block_text(hits["blocks"])
    await world.fake.deliver("slash_commands", slash_command(
        "/ask", "Transformer はなぜ学習が速い？", user=ALLOWED, channel=CHANNEL, response_url=url))
    (answer,) = await final_answer(world)
    question, placeholder = world.fake.calls_to("chat.postMessage")
    assert question["text"] == f"<@{ALLOWED}>: Transformer はなぜ学習が速い？"
    posted_question = world.fake.messages[CHANNEL][0]
    assert placeholder["thread_ts"] == posted_question["ts"], "the answer threads under it"
    assert "deep-dive_attention.md" in block_text(answer["blocks"])


async def test_a_vote_is_stored_with_the_answer_it_judges(world):
    await ask(world, mention("Sentence-BERT とは", user=ALLOWED, channel=CHANNEL,
                             ts=world.fake.next_ts()))
    (answer,) = await final_answer(world)
    (buttons,) = [b for b in answer["blocks"] if b["type"] == "actions"]
    ref = buttons["elements"][1]["value"]
    assert ref == f"{CHANNEL}:{answer['ts']}"
    payload = block_action("notesbot_feedback_down", ref, user=ALLOWED, channel=CHANNEL,
                           message_ts=answer["ts"],
                           response_url=f"{world.fake.server.url}/response/3")
    envelope = await world.fake.deliver("interactive", payload)
    await world.fake.wait_ack(envelope)
    (thanks,) = await world.fake.wait_for("response_url")
    assert thanks["text"] == phrase("feedback_thanks", "en")  # the fake click carries no text
    (vote,) = world.state.votes()
    assert (vote["platform"], vote["ref"], vote["user"], vote["vote"]) == (
        "slack", ref, ALLOWED, "down")
    assert vote["question"] == "Sentence-BERT とは" and vote["mode"] == "extractive"
    assert vote["citations"][0]["source"] == "paper-notes.txt"
    assert "Sentence-BERT" in vote["answer"]


async def test_rate_limited_update_is_retried_and_lands(world):
    world.fake.fail_next("chat.update", Fail(status=429, retry_after=1))
    await ask(world, mention("Sentence-BERT とは", user=ALLOWED, channel=CHANNEL,
                             ts=world.fake.next_ts()))
    (answer,) = await final_answer(world)
    assert "paper-notes.txt" in block_text(answer["blocks"])


async def test_an_answer_that_cannot_replace_its_placeholder_is_posted_below_it(
    sample_index, embedder, tmp_path
):
    def settings(fake):
        return slack_settings(sample_index, fake, delivery_patience=3.0)

    async with running("slack", settings, embedder, tmp_path) as world:
        world.fake.fail_next("chat.update", *[Fail(error="cant_update_message")])
        ts = world.fake.next_ts()
        await ask(world, mention("Sentence-BERT とは", user=ALLOWED, channel=CHANNEL, ts=ts))
        (deleted,) = await world.fake.wait_for("chat.delete")
        writes = [c.method for c in world.fake.calls if c.method.startswith("chat.")]
        assert writes == ["chat.postMessage", "chat.update", "chat.postMessage", "chat.delete"]
        answer = world.fake.calls_to("chat.postMessage")[1]
        assert answer["thread_ts"] == ts
        assert "paper-notes.txt" in block_text(answer["blocks"]), "cited, below the question"
        (shown,) = world.fake.messages[CHANNEL]
        assert deleted["ts"] != shown["ts"], "the placeholder is gone, the answer stays"


async def test_a_thumbs_down_opens_the_optional_form_and_keeps_what_was_wrong(world):
    await ask(world, mention("Sentence-BERT とは", user=ALLOWED, channel=CHANNEL,
                             ts=world.fake.next_ts()))
    (answer,) = await final_answer(world)
    ref = f"{CHANNEL}:{answer['ts']}"
    down = block_action("notesbot_feedback_down", ref, user=ALLOWED, channel=CHANNEL,
                        message_ts=answer["ts"], response_url=f"{world.fake.server.url}/response/4")
    await world.fake.wait_ack(await world.fake.deliver("interactive", down))
    (opened,) = await world.fake.wait_for("views.open")
    view = json.loads(opened["view"]) if isinstance(opened["view"], str) else opened["view"]
    assert opened["trigger_id"] == down["trigger_id"] and view["private_metadata"] == ref
    assert view["callback_id"] == "notesbot_feedback_note" and view["type"] == "modal"
    submission = {
        "type": "view_submission", "team": {"id": "T0001"}, "api_app_id": "A0001",
        "user": {"id": ALLOWED, "team_id": "T0001"}, "trigger_id": "2.2.x",
        "view": {**view, "id": "V1", "state": {"values": {"note": {"note": {
            "type": "plain_text_input", "value": "会議名は EMNLP 2019 のはず"}}}}},
    }
    await world.fake.wait_ack(await world.fake.deliver("interactive", submission))
    assert await eventually(lambda: bool(world.state.votes()[0]["note"]))
    (vote,) = world.state.votes()
    assert vote["vote"] == "down" and vote["note"] == "会議名は EMNLP 2019 のはず"
