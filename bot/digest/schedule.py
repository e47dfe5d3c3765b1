"""The digest on its schedule: an APScheduler cron job, catch-up at start, same-day retries."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.digest.runs import DigestRunner
from bot.platforms.conversation.inflight import InFlight

log = logging.getLogger(__name__)


class DigestScheduler:
    name = "digest"

    def __init__(
        self,
        runner: DigestRunner,
        *,
        catch_up: bool,
        retry_after: timedelta,
        housekeeping: Callable[[], object] | None = None,
    ) -> None:
        self._runner = runner
        self._housekeeping = housekeeping
        self._catch_up = catch_up
        self._retry_after = retry_after
        self._scheduler: AsyncIOScheduler | None = None
        self._inflight = InFlight()
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        planner = self._runner.planner
        self._scheduler = AsyncIOScheduler(timezone=planner.zone)
        # A firing missed by up to an hour (a busy loop, a suspend) still runs, once.
        self._scheduler.add_job(self._on_schedule, planner.trigger, misfire_grace_time=3600,
                                coalesce=True, id="digest")
        if self._housekeeping is not None:  # e.g. pruning old event claims, daily
            self._scheduler.add_job(self._housekeeping, IntervalTrigger(days=1), id="housekeeping")
        self._scheduler.start()
        fire = planner.latest_fire()
        if self._catch_up and fire is not None:
            # Missed while down (or already done: the log makes this a no-op).
            self._spawn(self.run(fire))
        log.info("digest: %s (%s); targets %s", planner.policy.cron, planner.policy.timezone,
                 planner.targets())

    async def _on_schedule(self) -> None:
        fire = self._runner.planner.latest_fire()
        if fire is not None:
            await self.run(fire)

    async def run(self, fire: datetime) -> None:
        async with self._inflight.track():
            report = await self._runner.run(fire)
        if report.failed and self._scheduler is not None:
            when = self._runner.planner.clock() + self._retry_after
            log.info("digest: retrying %s at %s", list(report.failed), when.isoformat())
            self._scheduler.add_job(self.run, DateTrigger(when), args=[fire])

    def _spawn(self, coroutine: object) -> None:
        task = asyncio.ensure_future(coroutine)  # type: ignore[arg-type]
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def stop(self, timeout: float) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
        if self._tasks:  # the catch-up run, even if it has not begun yet
            await asyncio.wait(self._tasks, timeout=timeout)
        await self._inflight.wait_idle(timeout)  # a digest half-posted would be lost
