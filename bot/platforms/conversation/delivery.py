"""Writes to a chat platform that survive a dropped connection.

A connection reset says nothing about whether the platform applied the write. Edits, drafts
and stream appends are idempotent, so they are retried with backoff until a few seconds have
passed; a new message is sent again once (a second copy is better than no answer), and a
placeholder a few times (a duplicate "looking…" line costs little; losing it costs the
drafts).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
Transient = Callable[[BaseException], bool]


class Delivery:
    def __init__(
        self, *, transient: Transient, attempts: int = 6, wait: float = 0.2, max_wait: float = 2.0
    ) -> None:
        self._transient = transient
        self._attempts = attempts
        self._wait = wait_exponential(multiplier=wait, max=max_wait)

    def is_transient(self, error: BaseException) -> bool:
        return self._transient(error)

    async def idempotent(self, write: Callable[[], Awaitable[T]]) -> T:
        """An edit, draft or append: retried with backoff on a transient network error."""
        return await self._retry(write, self._attempts)

    async def send(self, write: Callable[[], Awaitable[T]], *, attempts: int = 2) -> T:
        """A new message: by default sent once more after a transient error, never more."""
        return await self._retry(write, attempts)

    async def _retry(self, write: Callable[[], Awaitable[T]], attempts: int) -> T:
        retrying = AsyncRetrying(
            stop=stop_after_attempt(attempts),
            wait=self._wait,
            retry=retry_if_exception(self._transient),
            reraise=True,
            before_sleep=_log_retry,
        )
        async for attempt in retrying:
            with attempt:
                return await write()
        raise AssertionError("unreachable: tenacity reraises the last error")


def _log_retry(state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome else None
    log.info("write failed (%s); retry %d", error.__class__.__name__, state.attempt_number)
