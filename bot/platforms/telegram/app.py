"""Which Telegram update and command goes to which handler, and the commands' descriptions
(the running service, polling or webhook, is bot.app.telegram_bot)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.platforms.telegram.handlers import TelegramHandlers
from bot.platforms.telegram.sender import FEEDBACK


def register(application: Application, handlers: TelegramHandlers) -> None:
    application.add_handler(TypeHandler(Update, handlers.dedupe), group=-1)
    commands = {
        "start": handlers.on_start, "help": handlers.on_start, "ask": handlers.on_ask,
        "paper": handlers.on_paper, "search": handlers.on_search, "new": handlers.on_new,
        "note": handlers.on_note,
        "digest": handlers.on_digest, "subscribe": handlers.on_subscribe,
        "unsubscribe": handlers.on_subscribe,
    }
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, handlers.on_text))
    application.add_handler(CallbackQueryHandler(handlers.on_button, pattern=f"^{FEEDBACK}"))
    application.add_handler(InlineQueryHandler(handlers.on_inline))
    application.add_error_handler(handlers.on_error)
