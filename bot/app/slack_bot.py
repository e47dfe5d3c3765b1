"""The Slack bot as a service: the Bolt app connected by Socket Mode (app token) or served
over HTTP (signing secret), answers in flight finished before it stops, and digest posts."""

from __future__ import annotations

import logging

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.answers import Lang
from bot.core.digest import Digest
from bot.core.phrases import phrase
from bot.platforms.dialects.slack_blocks import digest_blocks
from bot.platforms.slack.handlers import SlackEvents

log = logging.getLogger(__name__)


class SlackBot:
    name = "slack"

    def __init__(
        self,
        *,
        app: AsyncApp,
        client: AsyncWebClient,
        events: SlackEvents,
        app_token: str | None,
        http: tuple[str, int, str],
        digest_lang: Lang = "ja",
    ) -> None:
        self.app = app
        self.events = events
        self.conversation = events.conversation
        self._client = client
        self._app_token = app_token
        self._http = http
        self._digest_lang = digest_lang
        self._socket: AsyncSocketModeHandler | None = None
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self.port: int | None = None  # HTTP mode: the bound port (useful with port 0)

    async def start(self) -> None:
        auth = await self._client.auth_test()  # fails fast on a bad token; who "we" are
        self.events.bot_user, self.events.bot_id = auth["user_id"], auth.get("bot_id")
        if self._app_token:
            self._socket = AsyncSocketModeHandler(self.app, self._app_token)
            await self._socket.connect_async()
            log.info("Slack: Socket Mode connected as %s", auth["user_id"])
            return
        host, port, path = self._http
        self._runner = web.AppRunner(self.app.web_app(path=path, port=port))
        await self._runner.setup()
        self._site = web.TCPSite(self._runner, host, port)
        await self._site.start()
        self.port = self._site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        log.info("Slack: HTTP mode on %s:%s%s", host, self.port, path)

    async def post_digest(self, chat: str, digest: Digest) -> None:
        await self._client.chat_postMessage(
            channel=chat, text=phrase("digest_title", self._digest_lang, period=digest.period),
            blocks=digest_blocks(digest, self._digest_lang), unfurl_links=False,
            unfurl_media=False,
        )

    async def stop(self, timeout: float) -> None:
        """Stop receiving, let answers in flight finish, then close the connection."""
        if self._socket is not None:
            await self._socket.disconnect_async()
        if self._site is not None:
            await self._site.stop()
        inflight = self.conversation.inflight
        if not await inflight.wait_idle(timeout):
            log.warning("Slack: %d answers still running at shutdown", inflight.count)
        if self._socket is not None:
            await self._socket.close_async()
        if self._runner is not None:
            await self._runner.cleanup()
