"""Show an answer while it is being written: throttled draft edits, then the checked answer.

Draft edits are best effort (a failed or skipped edit costs nothing but freshness); the caller
renders the final ``Answer`` itself, since only it has checked citations.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable

from bot.core.answers import Answer, AnswerEvent, Delta, Done, Restart

log = logging.getLogger(__name__)
CURSOR = " ▍"


class EditBudget:
    """Draft edits allowed per minute across all answers in flight (one token bucket)."""

    def __init__(self, *, per_minute: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._rate = per_minute / 60.0
        self._capacity = max(1.0, per_minute / 6)  # a burst of ten seconds' worth
        self._tokens = self._capacity
        self._clock = clock
        self._last = clock()

    def take(self) -> bool:
        now = self._clock()
        self._tokens = min(self._capacity, self._tokens + (now - self._last) * self._rate)
        self._last = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False


async def relay(
    events: AsyncIterator[AnswerEvent],
    *,
    show_draft: Callable[[str], Awaitable[object]],
    interval: float,
    budget: EditBudget | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Answer:
    """Consume an answer stream, editing the draft at most every ``interval`` seconds."""
    text = ""
    last_edit = clock()  # the placeholder was just posted
    async for event in events:
        if isinstance(event, Done):
            return event.answer
        text = text + event.text if isinstance(event, Delta) else ""
        if isinstance(event, Restart) or not text.strip():
            continue
        now = clock()
        if now - last_edit < interval or (budget is not None and not budget.take()):
            continue
        last_edit = now
        try:
            await show_draft(text + CURSOR)
        except Exception as exc:  # a draft is best effort; the final answer still follows
            log.warning("draft edit failed: %s", exc.__class__.__name__)
    raise RuntimeError("the answer stream ended without a final answer")
