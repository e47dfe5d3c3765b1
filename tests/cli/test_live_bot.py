"""Live notes through the real bot process and the wire-true Telegram fake: a note saved,
edited, deleted, taken with /note, or ingested by another process is answered from within
10 s, with no restart; a stranger's /note writes nothing; a kill mid-pass is repaired."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.core.phrases import phrase
from tests.conftest import SAMPLE_NOTES
from tests.fakes.telegram_fake import FakeTelegram
from tests.fakes.telegram_updates import command, private_text
from tests.support import index_counts, run_ingest, settings_for, write_synthetic_notes

pytestmark = pytest.mark.slow
NOTESBOT = Path(sys.executable).with_name("notesbot")
OWNER, STRANGER = 42, 7
QUESTION = "Okapi Net の音声認識の WER は？"


def okapi(wer: str) -> str:
    return f"# Okapi Net\n\nOkapi Net は音声認識モデルで、LibriSpeech で WER {wer} を達成した。\n"


@dataclass
class Running:
    fake: FakeTelegram
    env: dict[str, str]
    proc: subprocess.Popen[str]


@asynccontextmanager
async def bot(notes: Path, data: Path, **env: str) -> AsyncIterator[Running]:
    fake = FakeTelegram().start()
    full = {
        **os.environ, "HF_HUB_OFFLINE": "1", "NOTESBOT_NOTES_DIR": str(notes),
        "NOTESBOT_DATA_DIR": str(data), "NOTESBOT_TELEGRAM_TOKEN": "123:live",
        "NOTESBOT_TELEGRAM_BASE_URL": fake.base_url, "NOTESBOT_TELEGRAM_POLL_TIMEOUT": "1",
        "NOTESBOT_TELEGRAM_ALLOWED_USERS": str(OWNER), **env,
    }
    proc = subprocess.Popen([str(NOTESBOT), "telegram"], env=full, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        await fake.wait_for("getUpdates", timeout=60)
        yield Running(fake, full, proc)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        output = proc.communicate(timeout=30)[0]
        print(output)  # shown when the test fails
        fake.stop()
        assert "Traceback" not in output, output


async def ask(fake: FakeTelegram, update: dict) -> str:
    """What the bot sent back: its one final message (DM answers stream as drafts first)."""
    sent = len(fake.calls_to("sendMessage"))
    fake.push_update(update)
    return (await fake.wait_for("sendMessage", sent + 1, timeout=30))[sent]["text"]


async def answered_within(fake: FakeTelegram, seconds: float, *needles: str,
                          absent: bool = False) -> float:
    """Asks QUESTION until the answer holds (or, ``absent``, lacks) every needle."""
    started = time.monotonic()
    while True:
        text = await ask(fake, private_text(QUESTION, user_id=OWNER))
        if all((n in text) != absent for n in needles):
            return time.monotonic() - started
        assert time.monotonic() - started < seconds, text
        await asyncio.sleep(0.3)


def indexed_copy(tmp_path: Path, embedder) -> tuple[Path, Path]:
    notes, data = tmp_path / "notes", tmp_path / "data"
    shutil.copytree(SAMPLE_NOTES, notes)
    run_ingest(settings_for(notes, data), embedder)
    return notes, data


async def test_saves_edits_deletions_and_note_commands_are_answered_within_10_s(
    tmp_path, embedder
):
    notes, data = indexed_copy(tmp_path, embedder)
    async with bot(notes, data) as running:
        fake = running.fake
        await answered_within(fake, 10, "3.1%", absent=True)  # (not in the notes yet)
        (notes / "okapi.md").write_text(okapi("3.1%"), encoding="utf-8")  # (a) a new file
        seconds = {"new": await answered_within(fake, 10, "3.1%", "okapi.md")}
        (notes / "okapi.md").write_text(okapi("2.4%"), encoding="utf-8")  # (b) an edit
        seconds["edit"] = await answered_within(fake, 10, "2.4%", "okapi.md")
        (notes / "okapi.md").unlink()  # (c) a deletion
        seconds["delete"] = await answered_within(fake, 10, "okapi.md", "2.4%", absent=True)
        print("save → answered from, s:", {k: round(v, 1) for k, v in seconds.items()})

        # (e) /note, then a question about it
        said = await ask(fake, command("note", "Zebra-LM は日本語要約で ROUGE-L 48.2 を出した。",
                                       chat_id=OWNER, user_id=OWNER))
        (entry,) = (notes / "inbox").glob("*.md")
        assert said == phrase("note_saved", "ja", name=f"inbox/{entry.name}"), said
        assert "Zebra-LM" in entry.read_text(encoding="utf-8")
        started = time.monotonic()
        while "48.2" not in (text := await ask(fake, private_text(
                "Zebra-LM の ROUGE-L は？", user_id=OWNER))):
            assert time.monotonic() - started < 10, text
        assert f"inbox/{entry.name}" in text

        # (f) a stranger's /note: nothing written, told their id
        before = entry.read_text(encoding="utf-8")
        refusal = await ask(fake, command("note", "spam", chat_id=STRANGER, user_id=STRANGER))
        assert str(STRANGER) in refusal and "NOTESBOT_TELEGRAM_ALLOWED_USERS" in refusal
        assert entry.read_text(encoding="utf-8") == before
        assert [p.name for p in (notes / "inbox").iterdir()] == [entry.name]


async def test_with_the_watcher_off_another_processs_ingest_is_answered_within_10_s(
    tmp_path, embedder
):
    notes, data = indexed_copy(tmp_path, embedder)
    async with bot(notes, data, NOTESBOT_WATCH="false") as running:
        fake, env = running.fake, running.env
        (notes / "okapi.md").write_text(okapi("3.1%"), encoding="utf-8")
        await asyncio.sleep(2)
        assert "3.1%" not in await ask(fake, private_text(QUESTION, user_id=OWNER))
        subprocess.run([str(NOTESBOT), "ingest"], env=env, check=True, capture_output=True,
                       timeout=120)  # (d) a cron ingest, beside the running bot
        print("external ingest → answered from, s:",
              round(await answered_within(fake, 10, "3.1%", "okapi.md"), 1))


def _committed(data: Path) -> tuple[int, str]:
    with sqlite3.connect(data / "notes.sqlite3", timeout=5) as db:
        files = db.execute("SELECT count(*) FROM files").fetchone()[0]
        dirty = db.execute("SELECT value FROM meta WHERE key='dirty'").fetchone()
    return files, dirty[0] if dirty else "0"


async def test_a_kill_in_the_middle_of_a_pass_is_repaired_by_the_next(tmp_path, embedder):
    notes, data = tmp_path / "notes", tmp_path / "data"
    write_synthetic_notes(notes, files=5, sections=4)
    settings = settings_for(notes, data, chunk_max_chars=200)
    run_ingest(settings, embedder)
    env = {"NOTESBOT_CHUNK_MAX_CHARS": "200"}
    async with bot(notes, data, **env) as running:
        write_synthetic_notes(notes / "more", files=24, sections=6, seed=1)
        deadline = time.monotonic() + 120
        while _committed(data)[0] <= 5:  # the pass has committed its first batch
            assert time.monotonic() < deadline, "the pass made no progress"
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)
        assert _committed(data)[1] == "1", "the pass ended before the kill: grow the folder"
        running.proc.send_signal(signal.SIGKILL)
        running.proc.wait(timeout=30)
    async with bot(notes, data, **env):  # its catch-up pass is the next pass
        deadline = time.monotonic() + 180
        while _committed(data) != (29, "0"):
            assert time.monotonic() < deadline, _committed(data)
            await asyncio.sleep(0.2)
    clean = settings_for(notes, tmp_path / "clean", chunk_max_chars=200)
    run_ingest(clean, embedder)
    got, want = index_counts(settings, embedder), index_counts(clean, embedder)
    assert got == want and got["chroma_ids_match"] and got["bm25_ids_match"]
