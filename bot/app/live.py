"""The live index, built from settings once: its own writer connection beside the bot's
reader, sharing the embedder and the Chroma handle (one model in memory, one vector index)."""

from __future__ import annotations

import logging
from pathlib import Path

from bot.app.compose import Index, Runtime, make_ingestor
from bot.app.locking import IndexBusy, writer_lock
from bot.app.settings import Settings
from bot.index.store import NotesStore
from bot.index.vector_cache import VectorCache
from bot.live.inbox import Inbox
from bot.live.passes import PassRunner
from bot.live.service import LiveNotes
from bot.live.watch import NotesWatcher
from ingest.progress import LogProgress

log = logging.getLogger("bot.live")
SETTLE_SECONDS = 0.1


def writer_index(settings: Settings, index: Index) -> Index:
    path = settings.index_path
    return Index(
        store=NotesStore(path),
        vectors=index.vectors,
        embedder=index.embedder,
        tokenizer=index.tokenizer.sibling(),  # Sudachi is not shared between threads
        cache=VectorCache(path),
    )


def unwatchable(settings: Settings, indexed_from: str | None) -> str | None:
    """Why watching would do harm: a pass over a missing or other folder than the one the
    index was built from would remove every note it does not find there."""
    notes = settings.notes_dir
    if not notes.is_dir():
        return f"{notes} is not a folder (NOTESBOT_NOTES_DIR)"
    if indexed_from and Path(indexed_from) != notes.resolve():
        return (f"the index was built from {indexed_from}, not {notes.resolve()} "
                "(`notesbot ingest` with this NOTESBOT_NOTES_DIR switches it)")
    return None


def build_live(settings: Settings, runtime: Runtime) -> LiveNotes:
    """Passes by this process, and (NOTESBOT_WATCH) a watcher that asks for them."""
    index = writer_index(settings, runtime.index)
    # A note saved a moment ago may still be being written: its pass waits for it to settle.
    ingestor = make_ingestor(settings, index, LogProgress(log), settle=SETTLE_SECONDS)
    runner = PassRunner(
        root=settings.notes_dir,
        ingestor=ingestor,
        known=lambda: index.store.file_hashes(),
        lock=lambda: writer_lock(settings.data_dir),
        close=index.close,
    )
    watcher = None
    if settings.watch and (why := unwatchable(settings, index.store.get_meta("notes_dir"))):
        log.warning("not watching the notes: %s", why)
    elif settings.watch:
        watcher = NotesWatcher(
            settings.notes_dir, quiet=settings.watch_debounce, polling=settings.watch_polling
        )
    return LiveNotes(
        runner=runner, reader=runtime.reader, watcher=watcher, data_dir=settings.data_dir,
        poll=settings.index_poll, busy=IndexBusy, settle=SETTLE_SECONDS,
    )


def build_inbox(settings: Settings, live: LiveNotes | None) -> Inbox:
    return Inbox(
        notes_dir=settings.notes_dir,
        timezone=settings.digest_timezone,
        index=live.request if live else None,
    )
