"""The Telegram bot: a python-telegram-bot Application, long polling or a webhook."""

from __future__ import annotations

import logging

from telegram import BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.config import Settings
from bot.core.assistant import Assistant
from bot.core.digest import Digest
from bot.digest_service import DigestPlanner
from bot.platforms.policy import BotPolicy
from bot.platforms.telegram.handlers import TelegramHandlers
from bot.platforms.telegram.render import digest_html
from bot.platforms.telegram.sender import ChatPacer, Sender
from bot.state import StateStore

log = logging.getLogger(__name__)
COMMANDS = {  # name: (English, Japanese) descriptions, registered with setMyCommands
    "ask": ("Ask your notes a question", "ノートに質問する"),
    "paper": ("A paper in 140 characters, with its link", "論文を140字で要約"),
    "search": ("Passages of your notes that match", "ノートを検索"),
    "new": ("Forget this conversation", "会話の履歴を消す"),
    "digest": ("Today's paper digest", "今日の論文ダイジェスト"),
    "subscribe": ("Daily digest in this chat", "毎日のダイジェストを受け取る"),
    "unsubscribe": ("Stop the daily digest here", "ダイジェストを止める"),
    "help": ("What I can do", "使い方"),
}


def build_telegram(
    settings: Settings,
    *,
    assistant: Assistant,
    state: StateStore,
    digests: DigestPlanner | None = None,
) -> TelegramBot:
    assert settings.telegram_token is not None
    timeout = settings.telegram_timeout
    builder = (
        Application.builder()
        .token(settings.telegram_token.get_secret_value())
        .concurrent_updates(True)  # one slow answer must not hold up the others
        .rate_limiter(AIORateLimiter(max_retries=3))  # honours 429 retry_after
        .connect_timeout(min(5.0, timeout))
        .read_timeout(timeout)
        .write_timeout(timeout)
        .pool_timeout(timeout)
        .get_updates_read_timeout(settings.telegram_poll_timeout + timeout)
    )
    if settings.telegram_base_url:  # PTB's base_url, e.g. http://localhost:8081/bot
        builder = builder.base_url(settings.telegram_base_url)
        if settings.telegram_base_url.rstrip("/").endswith("/bot"):
            files = settings.telegram_base_url.rstrip("/").removesuffix("/bot") + "/file/bot"
            builder = builder.base_file_url(files)
    application = builder.build()
    policy = BotPolicy.from_settings(  # ≤ 1 edit per second per chat
        settings, users=settings.telegram_allowed_users, chats=settings.telegram_allowed_chats,
        min_interval=1.0,
    )
    sender = Sender(bot=application.bot, pacer=ChatPacer(interval=1.0))
    handlers = TelegramHandlers(
        assistant=assistant, state=state, sender=sender, policy=policy, digests=digests
    )
    register(application, handlers)
    return TelegramBot(application, handlers, sender, settings)


def register(application: Application, handlers: TelegramHandlers) -> None:
    application.add_handler(TypeHandler(Update, handlers.dedupe), group=-1)
    commands = {
        "start": handlers.on_start, "help": handlers.on_start, "ask": handlers.on_ask,
        "paper": handlers.on_paper, "search": handlers.on_search, "new": handlers.on_new,
        "digest": handlers.on_digest, "subscribe": handlers.on_subscribe,
        "unsubscribe": handlers.on_unsubscribe,
    }
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, handlers.on_text))
    application.add_error_handler(handlers.on_error)


class TelegramBot:
    name = "telegram"

    def __init__(
        self,
        application: Application,
        handlers: TelegramHandlers,
        sender: Sender,
        settings: Settings,
    ) -> None:
        self.application = application
        self.handlers = handlers
        self._sender = sender
        self._settings = settings

    async def start(self) -> None:
        app, settings = self.application, self._settings
        await app.initialize()  # getMe: fails fast on a bad token
        await app.bot.set_my_commands([BotCommand(n, en) for n, (en, _) in COMMANDS.items()])
        await app.bot.set_my_commands(
            [BotCommand(n, ja) for n, (_, ja) in COMMANDS.items()], language_code="ja"
        )
        await app.start()
        assert app.updater is not None
        if settings.telegram_mode == "webhook":
            secret = settings.telegram_webhook_secret
            await app.updater.start_webhook(
                listen=settings.telegram_webhook_listen,
                port=settings.telegram_webhook_port,
                url_path=settings.telegram_webhook_path.strip("/"),
                webhook_url=settings.telegram_webhook_url,
                secret_token=secret.get_secret_value() if secret else None,
            )
        else:
            await app.updater.start_polling(
                poll_interval=0.0,
                timeout=settings.telegram_poll_timeout,
                allowed_updates=Update.ALL_TYPES,
            )
        log.info("Telegram: %s as @%s", settings.telegram_mode, app.bot.username)

    async def post_digest(self, chat: str, digest: Digest) -> None:
        # Idempotent; needed when posting from `notesbot digest --post` without start().
        await self.application.bot.initialize()
        for page in digest_html(digest, self._settings.summary_language):
            await self._sender.send(int(chat), page)

    async def stop(self, timeout: float) -> None:
        """Stop fetching updates, let answers in flight finish, then shut PTB down."""
        app = self.application
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if not await self.handlers.inflight.wait_idle(timeout):
            log.warning("Telegram: %d answers still running at shutdown",
                        self.handlers.inflight.count)
        if app.running:
            await app.stop()
        await app.shutdown()
