"""The daily digest: which targets, which period, what to post, and posting it once.

Targets are "slack:<channel>" and "telegram:<chat>": the ones in settings plus the chats and
channels that subscribed. A period is one firing of the cron schedule (in its time zone); each
target gets at most one digest per period (see DigestLog), and one failing target never keeps
the others from theirs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot.core.arxiv.submissions import Proposal
from bot.core.assistant import Assistant
from bot.core.digest import Digest
from bot.digest.log import DigestLog
from bot.state.store import StateStore

log = logging.getLogger(__name__)
PLATFORMS = ("slack", "telegram")


class ArxivProposals(Protocol):
    async def for_day(self, day: str) -> list[Proposal]: ...


class DigestPublisher(Protocol):
    async def post_digest(self, chat: str, digest: Digest) -> None: ...


@dataclass(frozen=True, slots=True)
class DigestPolicy:
    cron: str = "0 9 * * *"
    timezone: str = "Asia/Tokyo"
    resurface_days: int = 30
    when_empty: str = "message"  # or "skip"
    max_attempts: int = 3


@dataclass(slots=True)
class RunReport:
    period: str
    posted: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


class DigestPlanner:
    def __init__(
        self,
        *,
        assistant: Assistant,
        log: DigestLog,
        state: StateStore,
        fixed_targets: Sequence[str],
        policy: DigestPolicy,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        arxiv: ArxivProposals | None = None,
    ) -> None:
        self._assistant = assistant
        self._arxiv = arxiv
        self.log = log
        self._state = state
        self._fixed = list(fixed_targets)
        self.policy = policy
        self.zone = ZoneInfo(policy.timezone)
        self.trigger = CronTrigger.from_crontab(policy.cron, timezone=self.zone)
        self.clock = clock

    def targets(self, platforms: Sequence[str] = PLATFORMS) -> list[str]:
        subscribed = [f"{p}:{chat}" for p in platforms for chat in self._state.subscriptions(p)]
        wanted = [t for t in self._fixed if t.split(":", 1)[0] in platforms] + subscribed
        return list(dict.fromkeys(wanted))

    def latest_fire(self, now: datetime | None = None) -> datetime | None:
        """The last time the schedule fired at or before ``now`` (within a week)."""
        now = (now or self.clock()).astimezone(self.zone)
        fire, latest = self.trigger.get_next_fire_time(None, now - timedelta(days=7)), None
        while fire is not None and fire <= now:
            latest = fire
            fire = self.trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
        return latest

    def period(self, fire: datetime) -> str:
        return fire.astimezone(self.zone).strftime("%Y-%m-%dT%H:%M")

    async def digest_for(self, target: str, fire: datetime) -> Digest:
        """What ``target`` gets for this firing: papers new since its last digest first, then
        the day's new arXiv papers closest to the notes (when categories are configured)."""
        day = self.period(fire)[:10]  # for titles and the resurfacing seed
        digest = await self._assistant.digest(
            target,
            day,
            since=self.log.last_posted(target),
            recently_posted=self.log.recent_keys(target, self.policy.resurface_days),
        )
        if self._arxiv is None:
            return digest
        return replace(digest, arxiv=tuple(await self._arxiv.for_day(day)))

    async def preview(self, target: str) -> Digest:
        return await self.digest_for(target, self.latest_fire() or self.clock())


class DigestRunner:
    def __init__(
        self, *, planner: DigestPlanner, publishers: Mapping[str, DigestPublisher]
    ) -> None:
        self.planner = planner
        self._publishers = dict(publishers)

    async def run(self, fire: datetime) -> RunReport:
        planner = self.planner
        report = RunReport(planner.period(fire))
        attempts = planner.policy.max_attempts
        for target in planner.targets(tuple(self._publishers)):
            if not planner.log.begin(target, report.period, max_attempts=attempts):
                report.skipped.append(target)
                continue
            try:
                await self._post(target, fire)
                report.posted.append(target)
            except Exception as exc:  # one target's failure never blocks the others
                reason = f"{exc.__class__.__name__}: {exc}"[:300]
                log.warning("digest to %s failed: %s", target, reason)
                planner.log.failed(target, report.period, reason)
                report.failed[target] = reason
        log.info("digest %s: posted %s, failed %s", report.period, report.posted,
                 list(report.failed))
        return report

    async def _post(self, target: str, fire: datetime) -> None:
        platform, chat = target.split(":", 1)
        digest = await self.planner.digest_for(target, fire)
        if not (digest.empty and self.planner.policy.when_empty == "skip"):
            await self._publishers[platform].post_digest(chat, digest)
        self.planner.log.posted(target, self.planner.period(fire), [i.key for i in digest.items])
