"""Run long-lived services (bots, scheduler, health endpoint) until SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Sequence
from typing import Protocol

log = logging.getLogger(__name__)


class Service(Protocol):
    name: str

    async def start(self) -> None:
        """Connect and begin handling work; return once running."""
        ...

    async def stop(self, timeout: float) -> None:
        """Stop taking work, finish what is in flight (up to ``timeout`` s), close clients."""
        ...


async def run_services(
    services: Sequence[Service], *, stop_timeout: float = 8.0, stop: asyncio.Event | None = None
) -> None:
    """Start every service, wait for a signal (or ``stop``), then stop them in reverse order."""
    loop = asyncio.get_running_loop()
    stop = stop or asyncio.Event()
    signals = (signal.SIGINT, signal.SIGTERM)
    for sig in signals:
        loop.add_signal_handler(sig, stop.set)
    started: list[Service] = []
    try:
        for service in services:
            await service.start()
            started.append(service)
            log.info("started %s", service.name)
        await stop.wait()
        log.info("stopping: %s", ", ".join(s.name for s in reversed(started)))
    finally:
        for service in reversed(started):
            try:
                await asyncio.wait_for(service.stop(stop_timeout), stop_timeout + 2)
            except Exception:
                log.exception("stopping %s failed", service.name)
        for sig in signals:
            loop.remove_signal_handler(sig)
