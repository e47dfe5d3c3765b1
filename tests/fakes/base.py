"""Run an aiohttp app on 127.0.0.1 (random port) in its own thread and event loop.

A thread of its own lets sync clients (subprocess CLIs, the sync openai client) and async
clients (Bolt, PTB, AsyncOpenAI) in the test's own loop talk to the same fake server.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import random
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from aiohttp import web


class ThreadedServer:
    def __init__(self, app: web.Application) -> None:
        self.app = app
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ThreadedServer:
        self._thread.start()
        self.call(self._start())
        return self

    async def _start(self) -> None:
        self._runner = web.AppRunner(self.app, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    def call(self, coro: Coroutine[Any, Any, Any], timeout: float = 30.0) -> Any:
        """Run ``coro`` on the server's loop from any thread and return its result."""
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def submit(self, coro: Coroutine[Any, Any, Any]) -> concurrent.futures.Future[Any]:
        """Schedule ``coro`` on the server's loop; await it with ``asyncio.wrap_future``."""
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    def call_soon(self, func: Callable[[], Any]) -> None:
        self._loop.call_soon_threadsafe(func)

    def stop(self) -> None:
        if not self._thread.is_alive():
            return  # stopped already (a test may stop a peer early to take it down)
        if self._runner is not None:
            # A handler still hanging (a fault under test) must not fail the teardown.
            with contextlib.suppress(Exception):
                self.call(self._runner.cleanup(), timeout=10)
        with contextlib.suppress(Exception):
            self.call(_cancel_the_rest(), timeout=10)  # e.g. long polls still waiting
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def __enter__(self) -> ThreadedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


async def _cancel_the_rest() -> None:
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


@dataclass(frozen=True)
class Fault:
    """What one call gets instead of its normal reply.

    ``reply``: an error reply (``status``, and the platform's error code or description in
    ``error``; 429 carries ``retry_after``); ``reset``: the connection is dropped before the
    call is handled; ``stall``: the call waits ``seconds``, then is handled as usual."""

    kind: str = "reply"
    status: int = 200
    error: str = "internal_error"
    retry_after: int | None = None
    seconds: float = 10.0

    @classmethod
    def code(cls, error: str, status: int = 200) -> Fault:
        return cls("reply", status, error)

    @classmethod
    def http(cls, status: int) -> Fault:
        return cls("reply", status, f"HTTP {status}")

    @classmethod
    def rate_limited(cls, retry_after: int = 1) -> Fault:
        return cls("reply", 429, "ratelimited", retry_after)

    @classmethod
    def reset(cls) -> Fault:
        return cls("reset")

    @classmethod
    def stall(cls, seconds: float = 10.0) -> Fault:
        return cls("stall", seconds=seconds)


class FaultScript:
    """Faults for the next calls of a method, in one chat or any (``times`` None: forever)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._planned: list[list[Any]] = []  # [method, chat, fault, times left]

    def add(self, method: str, fault: Fault, *, chat: str | None = None,
            times: int | None = 1) -> None:
        with self._lock:
            self._planned.append([method, chat, fault, times])

    def clear(self, chat: str | None = None) -> None:
        """Lift every fault (``chat``: only that chat's)."""
        with self._lock:
            self._planned = [p for p in self._planned if chat is not None and p[1] != chat]

    def take(self, method: str, chat: object) -> Fault | None:
        with self._lock:
            for plan in self._planned:
                if plan[0] == method and plan[1] in (None, str(chat)) and plan[3] != 0:
                    plan[3] = None if plan[3] is None else plan[3] - 1
                    return plan[2]  # type: ignore[no-any-return]
        return None


async def stall_or_reset(request: web.Request, fault: Fault | None) -> bool:
    """Apply a stall (then carry on) or a reset; True when the connection is gone."""
    if fault is not None and fault.kind == "stall":
        await asyncio.sleep(fault.seconds)
    if fault is not None and fault.kind == "reset" and request.transport is not None:
        request.transport.abort()
        return True
    return False


class Resets:
    """Wire faults of a flaky network between the bot and the platform: of the requests to
    ``methods``, every ``every``-th (or, ``at_random``, one in ``every`` at random, seeded)
    has its connection dropped before it is handled (so the write did not happen); with
    ``close_after`` every response closes its connection."""

    def __init__(self) -> None:
        self.every = 0
        self.methods: frozenset[str] = frozenset()
        self.close_after = False
        self.at_random = True
        self.dropped: list[str] = []
        self._seen = 0
        self._random = random.Random(5)
        self._lock = threading.Lock()

    def arm(self, *, every: int, methods: set[str], close_after: bool = True,
            at_random: bool = True) -> None:
        with self._lock:
            self.every, self.methods, self.close_after = every, frozenset(methods), close_after
            self.at_random, self._seen = at_random, 0

    def _due(self, method: str) -> bool:
        with self._lock:
            if not self.every or method not in self.methods:
                return False
            self._seen += 1
            due = (self._random.random() < 1 / self.every if self.at_random
                   else self._seen % self.every == 0)
            if due:
                self.dropped.append(method)
            return due

    @web.middleware
    async def middleware(
        self, request: web.Request, handler: Callable[[web.Request], Any]
    ) -> web.StreamResponse:
        method = request.match_info.get("method", "")
        if self._due(method) and request.transport is not None:
            request.transport.abort()  # the client sees a reset / server disconnect
            return web.Response(status=500)
        response: web.StreamResponse = await handler(request)
        if self.close_after:
            response.force_close()
        return response
