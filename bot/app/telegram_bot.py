"""The Telegram bot as a service: the PTB Application receiving by long polling or a webhook,
commands registered in two languages, answers in flight finished before it stops."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import BotCommand, Update
from telegram.ext import Application

from bot.core.answers import Lang
from bot.core.digest import Digest
from bot.platforms.dialects.telegram_html import digest_pages
from bot.platforms.telegram.handlers import TelegramHandlers
from bot.platforms.telegram.sender import Sender

log = logging.getLogger(__name__)
COMMANDS = {  # name: (English, Japanese) descriptions, registered with setMyCommands
    "ask": ("Ask your notes a question", "ノートに質問する"),
    "paper": ("A paper in 140 characters, with its link", "論文を140字で要約"),
    "search": ("Passages of your notes that match", "ノートを検索"),
    "note": ("Save a note into your notes folder", "メモをノートに保存"),
    "new": ("Forget this conversation", "会話の履歴を消す"),
    "digest": ("Today's paper digest", "今日の論文ダイジェスト"),
    "subscribe": ("Daily digest in this chat", "毎日のダイジェストを受け取る"),
    "unsubscribe": ("Stop the daily digest here", "ダイジェストを止める"),
    "help": ("What I can do", "使い方"),
}


@dataclass(frozen=True, slots=True)
class Receiving:
    """How updates arrive: long polling, or a webhook when ``webhook_url`` is set."""

    poll_timeout: int = 30
    webhook_url: str | None = None
    listen: str = "127.0.0.1"
    port: int = 8443
    path: str = "/telegram"
    secret: str | None = None

    @property
    def mode(self) -> str:
        return "webhook" if self.webhook_url else "polling"


class TelegramBot:
    name = "telegram"

    def __init__(
        self,
        application: Application,
        handlers: TelegramHandlers,
        sender: Sender,
        receive: Receiving,
        digest_lang: Lang = "ja",
    ) -> None:
        self.application = application
        self.handlers = handlers
        self._sender = sender
        self._receive = receive
        self._digest_lang = digest_lang

    async def start(self) -> None:
        app, receive = self.application, self._receive
        await app.initialize()  # getMe: fails fast on a bad token
        await app.bot.set_my_commands([BotCommand(n, en) for n, (en, _) in COMMANDS.items()])
        await app.bot.set_my_commands(
            [BotCommand(n, ja) for n, (_, ja) in COMMANDS.items()], language_code="ja"
        )
        await app.start()
        assert app.updater is not None
        if receive.webhook_url:
            await app.updater.start_webhook(
                listen=receive.listen,
                port=receive.port,
                url_path=receive.path.strip("/"),
                webhook_url=receive.webhook_url,
                secret_token=receive.secret,
            )
        else:
            await app.updater.start_polling(
                poll_interval=0.0, timeout=receive.poll_timeout, allowed_updates=Update.ALL_TYPES
            )
        log.info("Telegram: %s as @%s", receive.mode, app.bot.username)

    async def post_digest(self, chat: str, digest: Digest) -> None:
        # Idempotent; needed when posting from `notesbot digest --post` without start().
        await self.application.bot.initialize()
        for page, keys in digest_pages(digest, self._digest_lang):
            await self._sender.send(int(chat), page, keys=keys)

    async def stop(self, timeout: float) -> None:
        """Stop fetching updates, let answers in flight finish, then shut PTB down."""
        app = self.application
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if not await self.handlers.conversation.inflight.wait_idle(timeout):
            log.warning("Telegram: %d answers still running at shutdown",
                        self.handlers.conversation.inflight.count)
        if app.running:
            await app.stop()
        await app.shutdown()
