"""Telegram text in (pure): is a group message for the bot, the question without the bot's
@handle, the language a user's client is set to."""

from __future__ import annotations

from bot.core.answers import Lang


def addressed(text: str, *, username: str | None, replied_to_bot: bool) -> bool:
    """A group message for the bot: it mentions the bot, or replies to one of its messages."""
    return replied_to_bot or (bool(username) and f"@{username}".lower() in text.lower())


def strip_handle(text: str, username: str | None) -> str:
    if username:
        text = text.replace(f"@{username}", " ")
    return " ".join(text.split())


def language_of_client(code: str | None) -> Lang:
    return "ja" if (code or "").startswith("ja") else "en"
