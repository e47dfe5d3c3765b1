"""The Slack bot: a Bolt AsyncApp in Socket Mode (app token) or HTTP mode (signing secret)."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.core.answers import Lang
from bot.core.assistant import Assistant
from bot.core.digest import Digest
from bot.core.phrases import phrase
from bot.digest_service import DigestPlanner
from bot.platforms.policy import BotPolicy
from bot.platforms.relay import EditBudget
from bot.platforms.slack.blocks import FEEDBACK_DOWN, FEEDBACK_UP, digest_blocks
from bot.platforms.slack.commands import SlackCommands
from bot.platforms.slack.handlers import SlackConversation
from bot.state import StateStore

log = logging.getLogger(__name__)
# chat.update is Tier 3 (~50 calls a minute): drafts share that budget, final answers don't.
DRAFT_EDITS_PER_MINUTE = 40


def build_slack(
    settings: Settings,
    *,
    assistant: Assistant,
    state: StateStore,
    digests: DigestPlanner | None = None,
) -> SlackBot:
    assert settings.slack_bot_token is not None
    client = AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url or AsyncWebClient.BASE_URL,
        timeout=int(settings.slack_timeout),
    )
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=3))
    secret = settings.slack_signing_secret
    http = settings.slack_app_token is None
    app = AsyncApp(
        client=client,
        # Explicit, so Bolt never reads SLACK_* from the environment behind our back.
        signing_secret=secret.get_secret_value() if secret else "",
        request_verification_enabled=http,
        process_before_response=False,  # ack first, answer after
    )
    policy = BotPolicy.from_settings(
        settings, users=settings.slack_allowed_users, chats=settings.slack_allowed_channels
    )
    conversation = SlackConversation(
        assistant=assistant,
        state=state,
        client=client,
        policy=policy,
        budget=EditBudget(per_minute=DRAFT_EDITS_PER_MINUTE),
    )
    commands = SlackCommands(
        conversation=conversation,
        assistant=assistant,
        state=state,
        digests=digests,
        digest_lang=settings.summary_language,
    )
    register(app, conversation, commands, settings)
    app_token = settings.slack_app_token.get_secret_value() if settings.slack_app_token else None
    http_at = (settings.slack_http_host, settings.slack_http_port, settings.slack_http_path)
    return SlackBot(
        app=app, client=client, conversation=conversation, app_token=app_token, http=http_at,
        digest_lang=settings.summary_language,
    )


def register(
    app: AsyncApp, conversation: SlackConversation, commands: SlackCommands, settings: Settings
) -> None:
    app.event("app_mention")(conversation.on_mention)
    app.event("message")(conversation.on_message)
    app.command(settings.slack_command_ask)(commands.on_ask)
    app.command(settings.slack_command_paper)(commands.on_paper)
    app.command(settings.slack_command_search)(commands.on_search)
    app.command(settings.slack_command_digest)(commands.on_digest)
    app.action(FEEDBACK_UP)(commands.on_feedback)
    app.action(FEEDBACK_DOWN)(commands.on_feedback)

    @app.error
    async def on_error(error: Exception, body: dict[str, Any]) -> None:
        log.error("Slack listener failed (%s): %s", body.get("type"), error.__class__.__name__)


class SlackBot:
    name = "slack"

    def __init__(
        self,
        *,
        app: AsyncApp,
        client: AsyncWebClient,
        conversation: SlackConversation,
        app_token: str | None,
        http: tuple[str, int, str],
        digest_lang: Lang = "ja",
    ) -> None:
        self.app = app
        self.conversation = conversation
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
        self.conversation.bot_user, self.conversation.bot_id = auth["user_id"], auth.get("bot_id")
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
