"""Index passes run by the bot itself, on a thread of their own, one at a time.

The bot is the single writer of its data dir while it watches: each pass holds the ingest lock
(bot.app.compose.writer_lock), so a cron ``notesbot ingest`` waits its turn instead of
writing beside it, and embedded Chroma keeps its one-writer rule.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from pathlib import Path

from ingest.pipeline import Ingestor
from ingest.report import IngestReport
from ingest.scan import has_notes, is_note, relative_source, scan_notes

log = logging.getLogger(__name__)


def affected(root: Path, paths: Collection[str], known: Collection[str]) -> set[str]:
    """The note files a batch of changed paths touches: notes themselves, every note under a
    folder that appeared, every indexed note under a folder that went away. Other files
    (images, an editor's probe file) touch nothing."""
    found: set[str] = set()
    for path in paths:
        if is_note(path):
            found.add(path)
            continue
        folder = root / path
        if folder.is_dir():
            found.update(relative_source(p, root) for p in scan_notes(folder))
        prefix = path.rstrip("/") + "/"
        found.update(source for source in known if source.startswith(prefix))
    return found


def describe(report: IngestReport) -> str:
    """The pass's one log line: files, chunks, seconds."""
    changed = len(report.indexed) + len(report.removed)
    parts = [f"{len(report.indexed)} indexed", f"{len(report.removed)} removed"]
    if report.skipped:
        parts.append(f"{len(report.skipped)} skipped")
    if report.unsettled:
        parts.append(f"{len(report.unsettled)} still being written")
    if report.repaired:
        parts.append(f"{report.repaired} repaired")
    return (
        f"notes pass: {changed} file{'s' if changed != 1 else ''} ({', '.join(parts)}), "
        f"{report.chunks:,} chunks, {report.seconds:.2f} s"
    )


class PassRunner:
    """Runs ``Ingestor.run`` for the bot: ``paths=None`` checks every note."""

    def __init__(
        self,
        *,
        root: Path,
        ingestor: Ingestor,
        known: Callable[[], Collection[str]],
        lock: Callable[[], AbstractContextManager[None]],
        close: Callable[[], None] = lambda: None,
    ) -> None:
        self._root, self._ingestor, self._known = root, ingestor, known
        self._lock, self._close = lock, close
        # Its own thread: SQLite connections and Sudachi tokenizers stay on the thread using them.
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="notes-writer")
        self._closed = False

    @property
    def writer(self) -> str:
        return self._ingestor.writer

    def run(self, paths: Collection[str] | None) -> IngestReport | None:
        """One pass, on the writer thread; None when it had nothing to look at.
        Raises IndexBusy while another process ingests."""
        with self._lock():
            known = self._known()
            only = None if paths is None else affected(self._root, paths, known)
            if only is not None and not only:
                return None
            if only is None and known and not has_notes(self._root):
                # An unmounted share looks like an empty folder: never empty the index for it.
                log.warning("notes pass skipped: %s has no notes, the index keeps %d files",
                            self._root, len(known))
                return None
            report = self._ingestor.run(self._root, only=only)
        if report.indexed or report.removed or report.repaired or paths is None:
            log.info("%s", describe(report))
        return report

    async def index(self, paths: Collection[str] | None) -> IngestReport | None:
        return await asyncio.wrap_future(self._thread.submit(self.run, paths))

    def close(self) -> None:
        """Finish the pass in progress, then close the writer's connections (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self._thread.submit(self._close).result()
        self._thread.shutdown(wait=True)
