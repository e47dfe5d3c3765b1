"""Telegram updates as the Bot API sends them (entities in UTF-16 code units)."""

from __future__ import annotations

import itertools
import time
from typing import Any

from tests.fakes.telegram_fake import BOT

_MESSAGE_IDS = itertools.count(1)


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def user(user_id: int, name: str = "Tester") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": name, "language_code": "ja"}


def _message(text: str, chat: dict, user_id: int, **extra: Any) -> dict[str, Any]:
    return {
        "update_id": None,
        "message": {
            "message_id": next(_MESSAGE_IDS), "date": int(time.time()), "chat": chat,
            "from": user(user_id), "text": text, **extra,
        },
    }


def _clean(update: dict[str, Any]) -> dict[str, Any]:
    update.pop("update_id")
    return update


def private_text(text: str, *, user_id: int) -> dict[str, Any]:
    chat = {"id": user_id, "type": "private", "first_name": "Tester"}
    return _clean(_message(text, chat, user_id))


def group_text(text: str, *, chat_id: int, user_id: int, **extra: Any) -> dict[str, Any]:
    chat = {"id": chat_id, "type": "supergroup", "title": "Lab"}
    return _clean(_message(text, chat, user_id, **extra))


def command(name: str, args: str = "", *, chat_id: int, user_id: int) -> dict[str, Any]:
    text = f"/{name}" + (f" {args}" if args else "")
    entity = [{"type": "bot_command", "offset": 0, "length": _utf16(f"/{name}")}]
    chat = (
        {"id": chat_id, "type": "private", "first_name": "Tester"}
        if chat_id > 0 else {"id": chat_id, "type": "supergroup", "title": "Lab"}
    )
    return _clean(_message(text, chat, user_id, entities=entity))


def mention_in_group(question: str, *, chat_id: int, user_id: int) -> dict[str, Any]:
    handle = f"@{BOT['username']}"
    entity = [{"type": "mention", "offset": 0, "length": _utf16(handle)}]
    return group_text(f"{handle} {question}", chat_id=chat_id, user_id=user_id, entities=entity)


def reply_to_bot(text: str, *, chat_id: int, user_id: int, bot_message_id: int) -> dict:
    replied = {
        "message_id": bot_message_id, "date": int(time.time()), "from": BOT,
        "chat": {"id": chat_id, "type": "supergroup", "title": "Lab"}, "text": "earlier answer",
    }
    return group_text(text, chat_id=chat_id, user_id=user_id, reply_to_message=replied)


def callback_query(data: str, *, chat_id: int, user_id: int, message: dict) -> dict[str, Any]:
    """A press on an inline button under the bot's ``message`` (as the fake stored it)."""
    return {
        "callback_query": {
            "id": str(next(_MESSAGE_IDS)), "from": user(user_id), "chat_instance": "ci",
            "data": data,
            "message": {"message_id": message["message_id"], "date": message["date"],
                        "chat": message["chat"], "from": message["from"], "text": "…"},
        }
    }


def inline_query(query: str, *, user_id: int) -> dict[str, Any]:
    """``@bot <query>`` typed in any chat."""
    return {"inline_query": {"id": str(next(_MESSAGE_IDS)), "from": user(user_id),
                             "query": query, "offset": ""}}
