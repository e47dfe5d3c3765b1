"""Who may ask: private by default (empty allowlists answer nobody), and how often."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Allowlist:
    """A message is answered when its author or its chat/channel is listed."""

    users: frozenset[str]
    chats: frozenset[str]

    @classmethod
    def of(cls, users: Iterable[str | int] = (), chats: Iterable[str | int] = ()) -> Allowlist:
        return cls(frozenset(map(str, users)), frozenset(map(str, chats)))

    def allows(self, user: str | int | None, chat: str | int | None = None) -> bool:
        return (user is not None and str(user) in self.users) or (
            chat is not None and str(chat) in self.chats
        )


class RateLimiter:
    """At most ``per_minute`` questions per key in any sliding minute."""

    def __init__(self, *, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._limit = per_minute
        self._clock = clock
        self._recent: dict[str, deque[float]] = {}

    def wait_time(self, key: str) -> float:
        """0 and counts the question if allowed now; else the seconds until it would be."""
        now = self._clock()
        recent = self._recent.setdefault(key, deque())
        while recent and now - recent[0] >= 60.0:
            recent.popleft()
        if len(recent) >= self._limit:
            return 60.0 - (now - recent[0])
        recent.append(now)
        return 0.0
