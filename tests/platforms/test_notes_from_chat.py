"""Notes taken from the chat, through the real SDKs and the wire-true fakes: ``/note`` on
Slack and Telegram, an arXiv link sent alone in a DM saved as a note with its 140 characters;
strangers write nothing and are told their id."""

from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app.settings import REPO_PROMPTS
from bot.arxiv.cache import ListingCache
from bot.arxiv.client import ArxivClient
from bot.core.arxiv.notes import PaperWriter
from bot.core.phrases import phrase
from bot.core.prompts import PromptBook
from bot.digest.arxiv import NoteWriter
from bot.live.inbox import Inbox
from tests.fakes.arxiv_fake import FakeArxiv, FakeEntry
from tests.fakes.slack_events import event_callback, message, slash_command
from tests.fakes.telegram_updates import command, private_text
from tests.platforms.test_slack_bot import ALLOWED, CHANNEL, STRANGER, slack_settings
from tests.platforms.test_telegram_bot import ALLOWED as TG_ALLOWED
from tests.platforms.test_telegram_bot import STRANGER as TG_STRANGER
from tests.platforms.test_telegram_bot import telegram_settings
from tests.platforms.worlds import running
from tests.support import runtime_for

PAPER = FakeEntry("2409.01234v2", "Okapi Net: Speech Recognition with Tiny Transformers",
                  "2024-09-02T10:00:00Z", summary="We propose Okapi Net, a tiny speech "
                  "recognizer. It reaches 3.1% WER on LibriSpeech with 8M parameters.")


@pytest.fixture
def arxiv():
    fake = FakeArxiv().start()
    fake.entries.append(PAPER)
    yield fake
    fake.stop()


@pytest.fixture
async def chat_parts(sample_index, embedder, arxiv, tmp_path):
    """What build_slack/build_telegram get: the inbox and the paper saver, over a fresh folder."""
    notes = tmp_path / "notes"
    notes.mkdir()
    runtime = runtime_for(sample_index, embedder)
    client = ArxivClient(base_url=arxiv.base_url, categories=[], interval=0.0, timeout=5)
    author = PaperWriter(prompts=PromptBook(REPO_PROMPTS), chat=None, language="ja")
    papers = NoteWriter(notes_dir=notes, cache=ListingCache(tmp_path / "cache"),
                        notes=runtime.reader, writer=author, client=client)
    inbox = Inbox(notes_dir=notes, timezone="Asia/Tokyo", index=None)
    yield notes, {"papers": papers, "notes": inbox}
    await client.aclose()
    runtime.close()


def inbox_file(notes: Path) -> Path:
    return notes / "inbox" / f"{datetime.now(ZoneInfo('Asia/Tokyo')):%Y-%m-%d}.md"


async def test_slack_note_command_appends_a_dated_entry_and_says_where(
    sample_index, embedder, chat_parts, tmp_path
):
    notes, parts = chat_parts
    settings = functools.partial(slack_settings, sample_index)
    async with running("slack", settings, embedder, tmp_path, **parts) as world:
        url = f"{world.fake.server.url}/response/note"
        for text in ("Okapi Net は WER 3.1%。\n次は蒸留を試す。", "二つ目のメモ"):
            await world.fake.deliver("slash_commands", slash_command(
                "/note", text, user=ALLOWED, channel=CHANNEL, response_url=url))
        first, second = await world.fake.wait_for("response_url", 2)
        envelope = await world.fake.deliver("slash_commands", slash_command(
            "/note", "spam", user=STRANGER, channel=CHANNEL, response_url=url))
        _, refusal = await world.fake.wait_ack(envelope)
    day = inbox_file(notes)
    name = f"inbox/{day.name}"
    assert first["text"] == phrase("note_saved_later", "ja", name=name)
    assert first["response_type"] == "ephemeral" and second["text"] == first["text"]
    text = day.read_text(encoding="utf-8")
    assert text.startswith(f"# Inbox {day.stem}\n")
    assert text.count("## ") == 2 and "(Slack)" in text
    assert "Okapi Net は WER 3.1%。\n次は蒸留を試す。" in text, "a note keeps its lines"
    assert text.index("Okapi Net") < text.index("二つ目のメモ")
    assert STRANGER in str(refusal) and "spam" not in text


async def test_slack_dm_with_an_arxiv_link_alone_saves_the_paper(
    sample_index, embedder, chat_parts, tmp_path
):
    notes, parts = chat_parts
    settings = functools.partial(slack_settings, sample_index)
    async with running("slack", settings, embedder, tmp_path, **parts) as world:
        link = "<https://arxiv.org/abs/2409.01234v2|arxiv.org/abs/2409.01234v2>"
        event = message(link, user=ALLOWED, channel="DALLOWED", ts=world.fake.next_ts(),
                        channel_type="im")
        await world.fake.deliver("events_api", event_callback(event))
        (reply,) = await world.fake.wait_for("chat.postMessage")
    title, summary, url, _, saved = reply["text"].split("\n")
    assert title == PAPER.title and url == "https://arxiv.org/abs/2409.01234"
    assert 0 < len(summary) <= 140 and "Okapi" in summary
    assert saved == phrase("note_saved_later", "ja", name="arxiv/arxiv-2409.01234.md")
    note = (notes / "arxiv" / "arxiv-2409.01234.md").read_text(encoding="utf-8")
    assert note.startswith(f"# {PAPER.title}") and "3.1% WER" in note and summary in note


async def test_telegram_note_and_arxiv_link_in_a_dm_and_a_strangers_note(
    sample_index, embedder, chat_parts, arxiv, tmp_path
):
    notes, parts = chat_parts
    settings = functools.partial(telegram_settings, sample_index)
    async with running("telegram", settings, embedder, tmp_path, **parts) as world:
        fake = world.fake
        fake.push_update(command("note", "LoRA のランク 8 で十分だった", chat_id=TG_ALLOWED,
                                 user_id=TG_ALLOWED))
        (said,) = await fake.wait_for("sendMessage")
        fake.push_update(command("note", "spam", chat_id=TG_STRANGER, user_id=TG_STRANGER))
        _, refused = await fake.wait_for("sendMessage", 2)
        fake.push_update(private_text("arXiv:2409.01234", user_id=TG_ALLOWED))
        *_, paper = await fake.wait_for("sendMessage", 3)
        fake.push_update(private_text("https://arxiv.org/abs/2409.99999", user_id=TG_ALLOWED))
        *_, missing = await fake.wait_for("sendMessage", 4)
        fake.push_update(command("note", "", chat_id=TG_ALLOWED, user_id=TG_ALLOWED))
        *_, usage = await fake.wait_for("sendMessage", 5)
    name = f"inbox/{inbox_file(notes).name}"
    assert said["text"] == phrase("note_saved_later", "ja", name=name)
    text = inbox_file(notes).read_text(encoding="utf-8")
    assert "LoRA のランク 8 で十分だった" in text and "(Telegram)" in text and "spam" not in text
    assert str(TG_STRANGER) in refused["text"]
    assert "NOTESBOT_TELEGRAM_ALLOWED_USERS" in refused["text"]
    title, summary, url, _, saved = paper["text"].split("\n")
    assert title == PAPER.title and 0 < len(summary) <= 140 and url.endswith("2409.01234")
    # A link has no language: the reply is in the user's client language (the fake's: ja).
    assert saved == phrase("note_saved_later", "ja", name="arxiv/arxiv-2409.01234.md")
    assert missing["text"] == phrase("arxiv_missing", "ja", id="2409.99999")
    assert usage["text"] == phrase("usage_note", "ja", command="/note")
    assert [r.params.get("id_list") for r in arxiv.requests] == ["2409.01234", "2409.99999"]
    assert sorted(p.name for p in (notes / "arxiv").iterdir()) == ["arxiv-2409.01234.md"]
