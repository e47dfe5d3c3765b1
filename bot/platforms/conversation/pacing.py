"""At most one write per interval per chat, for platforms that pace chats themselves
(Telegram: about one message per second in a chat; its rate limiter paces groups only)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class ChatPacer:
    def __init__(self, *, interval: float = 1.0, clock: Callable[[], float] = time.monotonic):
        self._interval = interval
        self._clock = clock
        self._next: dict[int, float] = {}

    async def wait(self, chat_id: int) -> None:
        """Take this chat's next slot, sleeping until it comes."""
        now = self._clock()
        slot = max(now, self._next.get(chat_id, 0.0))
        self._next[chat_id] = slot + self._interval
        if slot > now:
            await asyncio.sleep(slot - now)

    def try_now(self, chat_id: int) -> bool:
        """Take a slot only if one is free right now (for drafts, which may be skipped)."""
        now = self._clock()
        if now < self._next.get(chat_id, 0.0):
            return False
        self._next[chat_id] = now + self._interval
        return True
