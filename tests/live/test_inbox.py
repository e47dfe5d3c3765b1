"""The inbox behind /note: one dated file a day, entries whole and in order, a folder that
cannot take it said in the reply."""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.phrases import phrase
from bot.live.inbox import Inbox
from ingest.report import IngestReport


async def test_concurrent_notes_are_whole_entries_of_one_dated_file(tmp_path):
    asked: list[list[str]] = []

    async def index(sources):
        asked.append(list(sources))
        return IngestReport(indexed=list(sources))

    inbox = Inbox(notes_dir=tmp_path, timezone="Asia/Tokyo", index=index)
    texts = [f"メモ {n}\n二行目 {n}" for n in range(20)]
    replies = await asyncio.gather(*(inbox.note(t, "ja", "Telegram") for t in texts))
    day = f"inbox/{datetime.now(ZoneInfo('Asia/Tokyo')):%Y-%m-%d}.md"
    assert set(replies) == {phrase("note_saved", "ja", name=day)}
    assert asked == [[day]] * 20
    saved = (tmp_path / day).read_text(encoding="utf-8")
    assert saved.count("# Inbox ") == 1 and saved.count("\n## ") == 20
    for text in texts:
        assert f"(Telegram)\n\n{text}\n" in saved, "each entry whole, its lines kept"


async def test_a_note_not_yet_searchable_or_not_writable_is_said(tmp_path):
    async def slow(sources):
        await asyncio.sleep(5)

    later = Inbox(notes_dir=tmp_path, timezone="UTC", index=slow, wait=0.1)
    assert (await later.note("x", "en", "Slack")).endswith("searchable in a few seconds.")
    (tmp_path / "blocked").write_text("a file where the folder should be")
    blocked = Inbox(notes_dir=tmp_path / "blocked", timezone="UTC", index=None)
    said = await blocked.note("lost?", "en", "Slack")
    assert said.startswith("Could not write into the notes folder (")
    assert (tmp_path / "blocked").read_text() == "a file where the folder should be"
