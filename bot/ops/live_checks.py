"""`notesbot doctor` on live notes: does a running bot watch the folder, is the index as new
as the newest note?"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.index.generation import published
from bot.index.store import NotesStore
from bot.live.status import read_status
from bot.live.watch import should_poll
from bot.ops.doctor import Check
from ingest.scan import relative_source, scan_notes

_SLACK_SECONDS = 5.0  # a note saved this close to the last pass is not "newer than the index"


def watch_check(*, notes_dir: Path, data_dir: Path, watch: bool, polling: bool | None) -> Check:
    status = read_status(data_dir)
    if status is not None and status.alive():
        who = f"bot pid {status.pid} on {status.host}, since {status.since[:16]}"
        last = f"; last pass {status.last_pass[:19]}" if status.last_pass else ""
        if status.watching == "off":
            return Check("watch", "warn", f"{who} does not watch (NOTESBOT_WATCH=false): new "
                         "notes wait for `notesbot ingest`; it sees that ingest within seconds")
        return Check("watch", "ok", f"{who} watches {notes_dir} ({status.watching}){last}")
    if not watch:
        return Check("watch", "skip", "NOTESBOT_WATCH=false: run `notesbot ingest` after edits")
    mode = "polling" if notes_dir.is_dir() and should_poll(notes_dir, polling) else "inotify"
    return Check("watch", "ok", f"no bot running; serve/slack/telegram will watch ({mode})")


def freshness_check(store: NotesStore, notes_dir: Path) -> Check:
    """The last published ingest pass against the newest note's modification time."""
    publication = published(store)
    notes = scan_notes(notes_dir) if notes_dir.is_dir() else []
    if not notes:
        return Check("freshness", "skip", "no notes")
    mtime, newest = max((p.stat().st_mtime, p) for p in notes)
    saved = datetime.fromtimestamp(mtime, UTC)
    name = relative_source(newest, notes_dir)
    if publication is None:
        return Check("freshness", "warn", "the index has no finished pass on record: "
                     "`notesbot ingest` (or a running bot) records one")
    indexed = datetime.fromisoformat(publication.at)
    behind = (saved - indexed).total_seconds()
    age = _span(publication.age_seconds)
    if behind > _SLACK_SECONDS:
        return Check("freshness", "warn", f"index {age} old, {_span(behind)} older than the "
                     f"newest note ({name}): a watching bot catches up; else `notesbot ingest`")
    return Check("freshness", "ok", f"index {age} old, newer than every note (newest: {name})")


def _span(seconds: float) -> str:
    seconds = max(0.0, seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f} {unit}"
    return f"{seconds:.0f} s"
