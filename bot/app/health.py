"""GET /healthz: is the service up, which parts run, how big is the index."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence

from aiohttp import web

log = logging.getLogger(__name__)


class HealthServer:
    name = "health"

    def __init__(
        self,
        *,
        host: str,
        port: int,
        services: Sequence[str],
        chunk_count: Callable[[], Awaitable[int]],
    ) -> None:
        self._host, self._port = host, port
        self._services = list(services)
        self._chunk_count = chunk_count
        self._started = time.monotonic()
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self._health)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        log.info("health: http://%s:%s/healthz", self._host, self.port)

    async def _health(self, request: web.Request) -> web.Response:
        try:
            chunks = await self._chunk_count()
        except Exception as exc:  # the index is unreadable: unhealthy, and say why
            body = {"status": "error", "error": exc.__class__.__name__}
            return web.json_response(body, status=503)
        return web.json_response({
            "status": "ok",
            "services": self._services,
            "chunks": chunks,
            "uptime_s": round(time.monotonic() - self._started, 1),
        })

    async def stop(self, timeout: float) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
