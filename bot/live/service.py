"""The live index as a service of ``serve``/``slack``/``telegram``.

Saves seen by the watcher, and notes taken from the chat, become passes of one worker; a
burst is one pass. Every ``poll`` seconds the reader catches up with the last published pass,
which is how another writer's ingest (cron, compose, a second machine) is seen without a
restart. A pass that fails is retried with growing pauses: no save is forgotten.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from bot.index.reader import IndexReader
from bot.live.passes import PassRunner
from bot.live.status import HEARTBEAT_SECONDS, LiveStatus, status_path, write_status
from bot.live.watch import NotesWatcher
from ingest.report import IngestReport

log = logging.getLogger(__name__)
_RETRY = (1.0, 60.0)  # first and longest pause before retrying a pass that could not run
_READY_SECONDS = 30.0  # setting up the watches of a very large folder


@dataclass(frozen=True, slots=True)
class _Waiter:
    paths: set[str]
    done: asyncio.Future[IngestReport | None]


class LiveNotes:
    name = "live notes"

    def __init__(
        self,
        *,
        runner: PassRunner,
        reader: IndexReader,
        watcher: NotesWatcher | None,
        data_dir: Path,
        poll: float,
        busy: type[Exception],
        settle: float = 0.1,
    ) -> None:
        self._runner, self._reader, self._watcher = runner, reader, watcher
        self._data_dir, self._poll, self._busy, self._settle = data_dir, poll, busy, settle
        self._pending: set[str] = set()
        self._full = False
        self._waiters: list[_Waiter] = []
        self._wake = asyncio.Event()
        self._stop = asyncio.Event()
        self._turn = asyncio.Lock()  # a pass and a catch-up never overlap (see ChromaVectors)
        self._tasks: list[asyncio.Task[None]] = []
        self.status = LiveStatus.starting(watcher.mode if watcher else "off")
        self.passes = 0

    async def start(self) -> None:
        await self._follow()
        self._tasks = [asyncio.create_task(self._follow_forever())]
        if self._watcher is not None:
            self._tasks.append(asyncio.create_task(self._watch(self._watcher)))
            # Watching first, then the catch-up pass: a save in between is seen by one of them.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._watcher.ready.wait(), _READY_SECONDS)
            self._full = True  # what was saved while the bot was down
            self._wake.set()
            log.info("watching %s (%s)", self._watcher.root, self._watcher.mode)
        self._tasks.append(asyncio.create_task(self._work()))
        self._beat()

    async def request(self, paths: Collection[str]) -> IngestReport | None:
        """Index these notes (relative paths) now; returns once a pass has taken them."""
        waiter = _Waiter(set(paths), asyncio.get_running_loop().create_future())
        self._waiters.append(waiter)
        self._pending.update(paths)
        self._wake.set()
        return await waiter.done

    async def stop(self, timeout: float) -> None:
        self._stop.set()
        self._wake.set()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for waiter in self._waiters:
            waiter.done.cancel()
        await asyncio.to_thread(self._runner.close)
        with contextlib.suppress(OSError):  # doctor: no bot watches any more
            status_path(self._data_dir).unlink(missing_ok=True)

    def close(self) -> None:
        self._runner.close()

    async def _watch(self, watcher: NotesWatcher) -> None:
        async for changed in watcher.changes(self._stop):
            self._pending.update(changed)
            self._wake.set()

    async def _work(self) -> None:
        pause = _RETRY[0]
        while not self._stop.is_set():
            await self._wake.wait()
            self._wake.clear()
            paths, full, waiters = self._pending, self._full, self._waiters
            self._pending, self._full, self._waiters = set(), False, []
            try:
                async with self._turn:
                    await self._reader.follow(self._runner.writer)
                    report = await self._runner.index(None if full else paths)
            except Exception as exc:
                self._pending |= paths
                self._full |= full
                self._waiters += waiters
                self._log_retry(exc, pause)
                await self._sleep(pause)
                pause = min(pause * 2, _RETRY[1])
                self._wake.set()
                continue
            pause = _RETRY[0]
            self.passes += report is not None
            self._beat(passed=report is not None)
            self._answer(waiters, report)

    def _answer(self, waiters: list[_Waiter], report: IngestReport | None) -> None:
        """Resolve the requests this pass took whole; a request for a note still being
        written waits for the pass that takes it (the watcher's saves wait for their event)."""
        unsettled = set(report.unsettled) if report else set()
        for waiter in waiters:
            if waiter.done.done():
                continue
            if waiter.paths & unsettled:
                self._waiters.append(waiter)
                self._pending |= waiter.paths & unsettled
                asyncio.get_running_loop().call_later(self._settle, self._wake.set)
            else:
                waiter.done.set_result(report)

    def _log_retry(self, exc: Exception, pause: float) -> None:
        if isinstance(exc, self._busy):
            log.info("notes pass waits: %s", exc)
        else:
            log.error("notes pass failed (retry in %.0f s): %s: %s", pause, type(exc).__name__, exc)

    async def _follow_forever(self) -> None:
        last_beat, failing = time.monotonic(), False
        while not self._stop.is_set():
            await self._sleep(self._poll)
            try:
                await self._follow()
                failing = False
            except Exception as exc:  # a locked or vanished store: said once, tried again
                if not failing:
                    log.warning("checking for other writers' ingests failed: %s: %s",
                                type(exc).__name__, exc)
                failing = True
            if time.monotonic() - last_beat >= HEARTBEAT_SECONDS:
                last_beat = time.monotonic()
                self._beat()

    async def _follow(self) -> None:
        async with self._turn:
            await self._reader.follow(self._runner.writer)

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), seconds)

    def _beat(self, *, passed: bool = False) -> None:
        self.status = self.status.beat(passed=passed)
        with contextlib.suppress(OSError):
            write_status(self._data_dir, self.status)
