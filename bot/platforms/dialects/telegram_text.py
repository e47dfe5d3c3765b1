"""Telegram text in (pure): is a group message for the bot, the question without the bot's
@handle, the language a user's client is set to."""

from __future__ import annotations

import re
from typing import Any

from bot.core.answers import Lang


def addressed(message: Any, *, bot_id: int, username: str | None) -> bool:
    """A group message (PTB's Message) for the bot: it mentions the bot, or replies to one of
    the bot's messages."""
    replied = message.reply_to_message
    author = replied.from_user if replied is not None else None
    if author is not None and author.id == bot_id:
        return True
    return bool(username) and f"@{username}".lower() in (message.text or "").lower()


def strip_handle(text: str, username: str | None) -> str:
    if username:
        text = text.replace(f"@{username}", " ")
    return " ".join(text.split())


def language_of_client(user: Any | None) -> Lang:
    """The language a (PTB) user's client is set to: Japanese or, otherwise, English."""
    code = getattr(user, "language_code", None) or ""
    return "ja" if code.startswith("ja") else "en"


def command_body(text: str) -> str:
    """What follows ``/command`` or ``/command@bot``, its lines kept (a note is written as is)."""
    return re.sub(r"^/\w+(?:@\w+)?\s*", "", text, count=1).strip()
