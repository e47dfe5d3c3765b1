"""The notes folder, watched: inotify where it works, polling on network mounts.

A burst of saves is one batch: it is yielded once the folder has been quiet for ``quiet``
seconds, or after ``longest`` seconds of saves that never pause.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path

from watchfiles import Change, DefaultFilter, awatch

log = logging.getLogger(__name__)
# Where inotify sees no one else's writes (other machines' saves), so the folder is polled.
_NETWORK = frozenset({"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "afs", "ceph", "glusterfs"})
_STEP_MS = 50
# Polling stats every file each round (~4 µs a file, bench/live_notes.py): a round every
# 0.7 ms per file keeps a big folder under 1% of a core at rest.
_POLL_MS_PER_FILE = 0.7
_POLL_MS = (1000, 10_000)


def mount_type(path: Path) -> str:
    """The file system type of the mount holding ``path`` (Linux), or ""."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return ""
    target, best, kind = str(path.resolve()), "", ""
    for line in mounts:
        fields = line.split()
        if len(fields) < 3 or len(fields[1]) < len(best):
            continue
        if target == fields[1] or target.startswith(fields[1].rstrip("/") + "/"):
            best, kind = fields[1], fields[2]  # the deepest mount point holding the path
    return kind


def should_poll(path: Path, setting: bool | None) -> bool:
    if setting is not None:
        return setting
    kind = mount_type(path)
    return kind in _NETWORK or kind.startswith("fuse.")


class _Visible(DefaultFilter):
    """watchfiles' editor-noise filter, and nothing hidden (drafts, swap files, .git)."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self._root = root

    def __call__(self, change: Change, path: str) -> bool:
        try:
            parts = Path(path).relative_to(self._root).parts
        except ValueError:
            return False
        return not any(p.startswith(".") for p in parts) and super().__call__(change, path)


class NotesWatcher:
    def __init__(self, root: Path, *, quiet: float, polling: bool | None) -> None:
        self.root = root.resolve()
        self.polling = should_poll(self.root, polling)
        self._quiet = quiet
        self._longest = max(2.0, 4 * quiet)
        self.ready = asyncio.Event()  # set once saves are being watched

    @property
    def mode(self) -> str:
        return "polling" if self.polling else "inotify"

    def poll_delay_ms(self) -> int:
        """Between polling rounds: 1 s for a small folder, up to 10 s for a huge one."""
        files = sum(len(names) for _, _, names in os.walk(self.root))
        low, high = _POLL_MS
        return int(min(high, max(low, files * _POLL_MS_PER_FILE)))

    async def changes(self, stop: asyncio.Event) -> AsyncIterator[set[str]]:
        """Batches of changed paths, relative to the root, until ``stop`` is set.

        watchfiles ends its own grouping once no *new path* changes, so a note saved again and
        again comes out every few tenths of a second: batches are merged here until the folder
        has been quiet for ``quiet`` seconds, or for at most ``longest`` seconds."""
        queue: asyncio.Queue[set[str] | None] = asyncio.Queue()
        pump = asyncio.create_task(self._pump(queue, stop))
        loop = asyncio.get_running_loop()
        try:
            while (batch := await queue.get()) is not None:
                deadline = loop.time() + self._longest
                while (left := min(self._quiet, deadline - loop.time())) > 0:
                    try:
                        more = await asyncio.wait_for(queue.get(), left)
                    except TimeoutError:
                        break
                    if more is None:
                        break
                    batch |= more
                yield batch
        finally:
            pump.cancel()

    async def _pump(self, queue: asyncio.Queue[set[str] | None], stop: asyncio.Event) -> None:
        try:
            while not stop.is_set():
                delay = await asyncio.to_thread(self.poll_delay_ms) if self.polling else 1000
                changes = awatch(
                    self.root, watch_filter=_Visible(self.root), step=_STEP_MS, stop_event=stop,
                    force_polling=self.polling, poll_delay_ms=delay, ignore_permission_denied=True,
                )
                try:
                    await self._relay(changes, queue)
                    return
                except (OSError, RuntimeError) as exc:  # e.g. out of inotify watches
                    if self.polling:
                        raise
                    log.warning("watching %s with inotify failed (%s); polling instead",
                                self.root, exc)
                    self.polling = True
        finally:
            self.ready.set()
            queue.put_nowait(None)

    async def _relay(
        self, changes: AsyncIterator[set[tuple[Change, str]]], queue: asyncio.Queue[set[str] | None]
    ) -> None:
        pending = asyncio.ensure_future(anext(changes))
        # That step runs awatch up to its first wait: the watches are set by then. Saves from
        # here on are seen; earlier ones are the catch-up pass's (bot.live.service).
        await asyncio.sleep(0)
        self.ready.set()
        while True:
            try:
                batch = await pending
            except StopAsyncIteration:
                return
            queue.put_nowait({self._relative(path) for _, path in batch})
            pending = asyncio.ensure_future(anext(changes))

    def _relative(self, path: str) -> str:
        return Path(path).relative_to(self.root).as_posix()
