"""Notes taken from the chat: ``/note TEXT`` appends a dated entry to ``inbox/YYYY-MM-DD.md``
in the notes folder, and the live index takes it at once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Collection
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.core.answers import Lang
from bot.core.phrases import phrase
from ingest.report import IngestReport

log = logging.getLogger(__name__)
Indexer = Callable[[Collection[str]], Awaitable[IngestReport | None]]
INBOX = "inbox"


async def saved(index: Indexer | None, source: str, lang: Lang, wait: float) -> str:
    """Where a note written into the folder went, once the live index has taken it (or, after
    ``wait`` seconds, that it will be searchable soon: a slow pass still happens)."""
    ready = False
    if index is not None:
        with contextlib.suppress(TimeoutError):
            report = await asyncio.wait_for(index([source]), wait)
            ready = report is not None and source not in (
                set(report.unsettled) | {skipped for skipped, _ in report.skipped}
            )
    return phrase("note_saved" if ready else "note_saved_later", lang, name=source)


class Inbox:
    def __init__(
        self, *, notes_dir: Path, timezone: str, index: Indexer | None, wait: float = 10.0
    ) -> None:
        self._notes_dir, self._zone = notes_dir, ZoneInfo(timezone)
        self._index, self._wait = index, wait
        self._lock = asyncio.Lock()  # entries of concurrent /note calls never interleave

    async def note(self, text: str, lang: Lang, via: str) -> str:
        """Save ``text`` as today's entry; what to tell the user (where it went)."""
        now = datetime.now(self._zone)
        source = f"{INBOX}/{now:%Y-%m-%d}.md"
        try:
            async with self._lock:
                await asyncio.to_thread(self._append, self._notes_dir / source, now, text, via)
        except OSError as exc:  # a read-only or full disk: said in the chat, logged once
            log.warning("saving a note into %s failed: %s", self._notes_dir / source, exc)
            return phrase("arxiv_write_failed", lang, reason=exc.strerror or type(exc).__name__)
        log.info("saved a note from %s into %s", via, source)
        return await saved(self._index, source, lang, self._wait)

    @staticmethod
    def _append(path: Path, now: datetime, text: str, via: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        entry = f"\n## {now:%H:%M} ({via})\n\n{text.strip()}\n"
        try:
            with path.open("x", encoding="utf-8") as new:
                new.write(f"# Inbox {now:%Y-%m-%d}\n{entry}")
        except FileExistsError:
            with path.open("a", encoding="utf-8") as day:  # O_APPEND: one write, at the end
                day.write(entry)
