"""Which Telegram update and command goes to which handler, and the commands' descriptions
(the running service, polling or webhook, is bot.app.telegram_bot)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import Application, CommandHandler, MessageHandler, TypeHandler, filters

from bot.platforms.telegram.handlers import TelegramHandlers

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
