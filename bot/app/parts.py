"""Assemble the long-running parts (bots, digest, health) from settings, once."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from bot.app.arxiv import ArxivParts, build_arxiv
from bot.app.compose import Runtime, build_runtime
from bot.app.health import HealthServer
from bot.app.live import build_inbox, build_live
from bot.app.serve import Service
from bot.app.settings import Settings
from bot.digest.log import DigestLog
from bot.digest.runs import DigestPlanner, DigestPolicy, DigestPublisher, DigestRunner
from bot.digest.schedule import DigestScheduler
from bot.live.service import LiveNotes
from bot.state.store import StateStore

log = logging.getLogger(__name__)


class Bot(Service, DigestPublisher, Protocol):
    """A chat platform: runs as a service and can post the digest."""


@dataclass
class Parts:
    settings: Settings
    runtime: Runtime
    state: StateStore
    digest_log: DigestLog
    planner: DigestPlanner
    bots: dict[str, Bot] = field(default_factory=dict)
    arxiv: ArxivParts | None = None
    live: LiveNotes | None = None  # the bots' own index passes and the watcher

    def runner(self) -> DigestRunner:
        return DigestRunner(planner=self.planner, publishers=self.bots)

    def scheduler(self) -> DigestScheduler:
        return DigestScheduler(
            self.runner(),
            catch_up=self.settings.digest_catch_up,
            retry_after=timedelta(minutes=self.settings.digest_retry_minutes),
            housekeeping=self.state.prune_claims,
        )

    def health(self) -> HealthServer:
        return HealthServer(
            host=self.settings.health_host,
            port=self.settings.health_port,
            services=[*self.bots, "digest"],
            chunk_count=self.runtime.reader.chunk_count,
        )

    async def aclose(self) -> None:
        if self.arxiv is not None:
            await self.arxiv.aclose()
        await self.runtime.aclose()

    def close(self) -> None:
        if self.live is not None:
            self.live.close()
        self.digest_log.close()
        self.state.close()
        self.runtime.close()


def build_parts(
    settings: Settings,
    *,
    platforms: tuple[str, ...] = ("slack", "telegram"),
    runtime: Runtime | None = None,
    live: bool = False,
) -> Parts:
    """Only configured platforms get a bot; each is built once and shared by all users.
    ``live``: a long-running command, which keeps the index live (bot.live)."""
    runtime = runtime or build_runtime(settings)
    keeper = build_live(settings, runtime) if live else None
    index = keeper.request if keeper else None
    state = StateStore(settings.state_path)
    # Claims only guard against Slack's and Telegram's retries (minutes): old ones are waste.
    log.info("pruned %d old event claims", state.prune_claims())
    digest_log = DigestLog(settings.state_path)
    fixed = [f"slack:{c}" for c in settings.digest_slack_channels]
    fixed += [f"telegram:{c}" for c in settings.digest_telegram_chats]
    arxiv = build_arxiv(settings, runtime, index)
    planner = DigestPlanner(
        assistant=runtime.assistant,
        log=digest_log,
        state=state,
        fixed_targets=fixed,
        policy=DigestPolicy(
            cron=settings.digest_cron,
            timezone=settings.digest_timezone,
            resurface_days=settings.digest_resurface_days,
            when_empty=settings.digest_when_empty,
            max_attempts=settings.digest_max_attempts,
        ),
        arxiv=arxiv.section,
    )
    parts = Parts(settings, runtime, state, digest_log, planner, arxiv=arxiv, live=keeper)
    papers, notes = arxiv.writer, build_inbox(settings, keeper)
    if "slack" in platforms and settings.slack_configured:
        from bot.app.platforms import build_slack

        parts.bots["slack"] = build_slack(
            settings, assistant=runtime.assistant, state=state, digests=planner, papers=papers,
            notes=notes,
        )
    if "telegram" in platforms and settings.telegram_configured:
        from bot.app.platforms import build_telegram

        parts.bots["telegram"] = build_telegram(
            settings, assistant=runtime.assistant, state=state, digests=planner, papers=papers,
            notes=notes,
        )
    return parts
