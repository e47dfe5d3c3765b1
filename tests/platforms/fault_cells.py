"""The fault matrix both bots are tried on: each fault on each write method, once (it then
clears) or for good; and the loads of many users at once over a lossy connection."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from tests.fakes.base import Fault

# What a platform may answer instead of doing the call (Telegram reads ``error`` as its
# description, Slack as its error code).
FAULTS = {
    "unknown error": Fault.code("Bad Request: something_nobody_has_seen", 400),
    "HTTP 500": Fault.http(500),
    "429 Retry-After": Fault.rate_limited(1),
    "reset": Fault.reset(),
    "10 s stall": Fault.stall(10.0),
}
SLACK_UNKNOWN = Fault.code("something_nobody_has_seen")  # Slack: HTTP 200, ok: false


@dataclass(frozen=True)
class Cell:
    method: str
    fault_name: str
    fault: Fault
    forever: bool = False

    @property
    def name(self) -> str:
        return f"{self.method} × {self.fault_name}{' (never clears)' if self.forever else ''}"


def cells(methods: list[str], *, slack: bool) -> list[Cell]:
    found = []
    for method in methods:
        for name, fault in FAULTS.items():
            if slack and name == "unknown error":
                fault = SLACK_UNKNOWN
            found.append(Cell(method, name, fault))
    return found


def report(failures: dict[str, str]) -> str:
    return "\n".join(f"  {cell}: {why}" for cell, why in sorted(failures.items()))


async def settle(answers: Callable[[], int], calls: Callable[[], int], count: int, *,
                 limit: float) -> None:
    """Until ``count`` answers show (or ``limit`` seconds pass), then two quiet seconds, so
    a late duplicate shows too."""
    deadline = time.monotonic() + limit
    while answers() < count and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    await quiet(calls, 2.0)


async def quiet(calls: Callable[[], int], seconds: float) -> None:
    """Until no new call has come for ``seconds``."""
    last, since = calls(), time.monotonic()
    while time.monotonic() - since < seconds:
        await asyncio.sleep(0.1)
        if (now := calls()) != last:
            last, since = now, time.monotonic()
