"""Slack text in, plain questions and conversation turns out (pure)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

from bot.core.answers import Turn

_LINK = re.compile(r"<(?P<target>[^>|]+)(?:\|(?P<label>[^>]*))?>")
# Edits, deletions, joins, bot posts: not questions. Plain messages have no subtype.
_ANSWERABLE_SUBTYPES = {None, "thread_broadcast", "file_share"}


def clean_question(text: str, bot_user: str | None) -> str:
    """``<@UBOT> what is <https://x|X>?`` → ``what is X (https://x)?``."""

    def replace(match: re.Match[str]) -> str:
        target, label = match["target"], match["label"]
        if bot_user and target == f"@{bot_user}":
            return ""
        if target.startswith(("@", "#", "!")):
            return f"{target[0]}{label}" if label else target
        return f"{label} ({target})" if label and label != target else target

    return " ".join(html.unescape(_LINK.sub(replace, text)).split())


def is_answerable(event: Mapping[str, Any], *, bot_user: str | None, bot_id: str | None) -> bool:
    """A human's new message: not a bot (ourselves included), not an edit or a join."""
    if event.get("bot_id") or event.get("subtype") not in _ANSWERABLE_SUBTYPES:
        return False
    user = event.get("user")
    return bool(user) and user != bot_user and (bot_id is None or event.get("bot_id") != bot_id)


def thread_turns(
    messages: Iterable[Mapping[str, Any]], *, bot_user: str | None, before_ts: str, skip: str
) -> list[Turn]:
    """A thread's earlier messages as conversation turns (the bot's are the assistant's)."""
    turns = []
    for message in messages:
        if float(message.get("ts", 0)) >= float(before_ts):
            continue
        text = clean_question(message.get("text", ""), bot_user)
        if not text or text == skip:
            continue
        mine = message.get("user") == bot_user or bool(message.get("bot_id"))
        turns.append(Turn("assistant" if mine else "user", text))
    return turns


def slack_error(exc: BaseException) -> str:
    """Slack's error code, or the HTTP status when the body was not Slack's JSON."""
    response = getattr(exc, "response", None)
    data = getattr(response, "data", None)
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return f"HTTP {getattr(response, 'status_code', '?')}"
