"""A running live index over a writable copy of the sample notes: the real runtime, the real
watcher and passes, the session's embedder."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

from bot.app.compose import Runtime
from bot.app.live import build_live
from bot.app.settings import Settings
from bot.index.embedders import Embedder
from bot.live.service import LiveNotes
from tests.conftest import SAMPLE_NOTES
from tests.support import run_ingest, runtime_for, settings_for


@dataclass
class Live:
    settings: Settings
    runtime: Runtime
    live: LiveNotes

    @property
    def notes(self) -> Path:
        return self.settings.notes_dir

    async def cited(self, question: str) -> tuple[str, set[str]]:
        """The answer's text and the notes it cites."""
        answer = await self.runtime.assistant.answer(question)
        return answer.text, {c.source for c in answer.citations}

    async def settle(self, quiet: float = 1.5, timeout: float = 30.0) -> None:
        """Until no pass has run for ``quiet`` seconds (the watcher has nothing left)."""
        deadline, seen, since = time.monotonic() + timeout, self.live.passes, time.monotonic()
        while time.monotonic() - since < quiet:
            assert time.monotonic() < deadline, "the live index never went quiet"
            await asyncio.sleep(0.1)
            if self.live.passes != seen:
                seen, since = self.live.passes, time.monotonic()


async def within(seconds: float, check: Callable[[], object]) -> float:
    """Seconds until ``await check()`` is truthy; fails after ``seconds``."""
    started = time.monotonic()
    while not await check():  # type: ignore[misc]
        assert time.monotonic() - started < seconds, f"not within {seconds} s"
        await asyncio.sleep(0.2)
    return time.monotonic() - started


@contextlib.asynccontextmanager
async def live_notes(
    tmp_path: Path, embedder: Embedder, **overrides: object
) -> AsyncIterator[Live]:
    notes = tmp_path / "notes"
    shutil.copytree(SAMPLE_NOTES, notes)
    settings = settings_for(notes, tmp_path / "data", watch_debounce=0.2, **overrides)
    run_ingest(settings, embedder)
    runtime = runtime_for(settings, embedder)
    live = build_live(settings, runtime)
    await live.start()
    try:
        yield Live(settings, runtime, live)
    finally:
        await live.stop(5)
        await runtime.aclose()
        runtime.close()
