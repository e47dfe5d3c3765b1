"""`notesbot doctor` on live notes: the watch, and the index's age against the newest note."""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import replace

from bot.index.store import NotesStore
from bot.live.status import LiveStatus, write_status
from bot.live.watch import should_poll
from bot.ops.live_checks import freshness_check, watch_check
from tests.conftest import SAMPLE_NOTES
from tests.support import run_ingest, settings_for


def test_the_index_is_fresh_until_a_note_is_saved_after_it(tmp_path, embedder):
    notes = tmp_path / "notes"
    shutil.copytree(SAMPLE_NOTES, notes)
    settings = settings_for(notes, tmp_path / "data")
    store = NotesStore(settings.data_dir / "notes.sqlite3")
    try:
        assert freshness_check(store, notes).status == "warn", "no pass on record yet"
        run_ingest(settings, embedder)
        fresh = freshness_check(store, notes)
        assert fresh.status == "ok" and "newer than every note" in fresh.detail
        later = time.time() + 600
        (notes / "new.md").write_text("# New\n\n新しいノート。\n", encoding="utf-8")
        os.utime(notes / "new.md", (later, later))
        stale = freshness_check(store, notes)
        assert stale.status == "warn" and "10 min older than the newest note (new.md)" in (
            stale.detail
        )
    finally:
        store.close()


def test_the_watch_is_reported_from_the_running_bots_status(tmp_path):
    notes, data = tmp_path / "notes", tmp_path / "data"
    notes.mkdir()
    data.mkdir()

    def check(watch: bool = True):
        return watch_check(notes_dir=notes, data_dir=data, watch=watch, polling=None)

    idle = check()
    assert idle.status == "ok" and "no bot running" in idle.detail and "(inotify)" in idle.detail
    assert check(watch=False).status == "skip"
    running = LiveStatus.starting("inotify").beat(passed=True)
    write_status(data, running)
    assert check().status == "ok" and f"pid {os.getpid()}" in check().detail
    write_status(data, replace(running, watching="off"))
    assert check().status == "warn" and "NOTESBOT_WATCH=false" in check().detail
    write_status(data, replace(running, pid=2**22 + 12345))  # a bot that died without cleanup
    assert "no bot running" in check().detail


def test_network_mounts_are_polled_and_the_setting_wins(tmp_path):
    assert should_poll(tmp_path, None) is False  # a local disk: inotify
    assert should_poll(tmp_path, True) is True
    assert should_poll(tmp_path, False) is False
