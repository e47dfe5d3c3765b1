"""A running bot against its fake platform, over the sample index: what each platform test
drives (the real SDK app, the real conversation, a fresh state database)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.app.platforms import build_slack, build_telegram
from bot.app.settings import Settings
from bot.state.store import StateStore
from tests.fakes.slack_fake import FakeSlack
from tests.fakes.telegram_fake import FakeTelegram
from tests.support import runtime_for


@dataclass
class World:
    fake: Any  # FakeSlack or FakeTelegram
    bot: Any  # SlackBot or TelegramBot
    state: StateStore


@contextlib.asynccontextmanager
async def running(
    platform: str, settings_for: Callable[[Any], Settings], embedder: Any, tmp_path: Path,
    **parts: Any,
) -> AsyncIterator[World]:
    """``settings_for(fake)``: the settings pointing at the started fake; ``parts`` (papers=,
    notes=) go to the bot's builder."""
    fake = (FakeSlack() if platform == "slack" else FakeTelegram()).start()
    settings = settings_for(fake)
    runtime = runtime_for(settings, embedder)
    state = StateStore(tmp_path / "state.sqlite3")
    build = build_slack if platform == "slack" else build_telegram
    bot = build(settings, assistant=runtime.assistant, state=state, **parts)
    try:
        await bot.start()
        if platform == "slack":
            await fake.wait_connected()
        yield World(fake, bot, state)
    finally:
        await bot.stop(5)
        state.close()
        await runtime.aclose()
        runtime.close()
        fake.stop()
