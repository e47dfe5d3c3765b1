"""Writes to a chat platform that outlast its faults.

Each platform adapter turns what its SDK raised into a ``WriteFault`` (the method, the error,
Retry-After, whether the same write can ever succeed). ``Delivery`` retries a write with
backoff for as long as a person would wait for an answer, honouring Retry-After, and logs one
line per fault: no tracebacks, since a platform's bad minute is not a bug of ours.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_before_delay,
    wait_exponential_jitter,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

PATIENCE = 30.0  # seconds a person waits for an answer before "could not be delivered"


class WriteFault(Exception):
    """A platform call that failed, in words every platform shares.

    ``permanent``: the same call will fail again (no access, no such message, content refused).
    ``refusal``: the platform does not offer this native feature here (streams, drafts)."""

    def __init__(
        self, method: str, error: str, *, retry_after: float | None = None,
        permanent: bool = False, refusal: bool = False,
    ) -> None:
        super().__init__(f"{method}: {error}")
        self.method, self.error = method, error
        self.retry_after = retry_after
        self.permanent = permanent or refusal
        self.refusal = refusal


Explain = Callable[[str, BaseException], "WriteFault | None"]


@contextlib.contextmanager
def translating(method: str, explain: Explain) -> Iterator[None]:
    """Raise what an SDK raises inside as ``explain(method, error)``; an error it does not
    explain (None: no platform error, a bug) goes on as it is."""
    try:
        yield
    except WriteFault:
        raise
    except Exception as exc:
        if (fault := explain(method, exc)) is None:
            raise
        raise fault from exc


class Delivery:
    def __init__(
        self, *, patience: float = PATIENCE, first_wait: float = 0.5, max_wait: float = 8.0
    ) -> None:
        self.patience = patience
        self._backoff = wait_exponential_jitter(multiplier=first_wait, max=max_wait, jitter=0.25)

    async def write(
        self, call: Callable[[], Awaitable[T]], *, patience: float | None = None
    ) -> T:
        """``call`` until it succeeds, a fault is permanent, or ``patience`` seconds pass."""
        retrying = AsyncRetrying(
            stop=stop_before_delay(self.patience if patience is None else patience),
            wait=self._wait,
            retry=retry_if_exception(_retryable),
            reraise=True,
            before_sleep=_log_retry,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await call()
        except WriteFault as fault:
            log.warning("%s (gave up)", fault)
            raise
        raise AssertionError("unreachable: tenacity reraises the last error")

    async def once(self, call: Callable[[], Awaitable[T]]) -> T | None:
        """A best-effort write (a draft, a status): one try; a fault is logged, not raised."""
        try:
            return await call()
        except WriteFault as fault:
            log.warning("%s (skipped)", fault)
            return None

    def _wait(self, state: RetryCallState) -> float:
        fault = state.outcome.exception() if state.outcome else None
        after = fault.retry_after if isinstance(fault, WriteFault) else None
        return max(self._backoff(state), after or 0.0)


def _retryable(error: BaseException) -> bool:
    return isinstance(error, WriteFault) and not error.permanent


def _log_retry(state: RetryCallState) -> None:
    fault = state.outcome.exception() if state.outcome else None
    wait = state.next_action.sleep if state.next_action else 0.0
    log.warning("%s (retry %d in %.1f s)", fault, state.attempt_number, wait)
