"""What a failed Bot API call means for the answer: PTB's errors as ``WriteFault``s, named by
their method."""

from __future__ import annotations

import contextlib
import warnings
from datetime import timedelta

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.platforms.conversation.delivery import WriteFault, translating

# Bad Requests that the same call meets again (Telegram's descriptions, lower-cased).
_PERMANENT = (
    "chat not found", "message to edit not found", "message can't be edited",
    "message is too long", "not enough rights", "have no rights", "user is deactivated",
    "bot was blocked", "bot was kicked", "peer_id_invalid", "message text is empty",
)
# A draft Telegram will not show here (private chats with drafts only; a server without it).
_DRAFT_REFUSALS = ("method not found", "not supported", "can't be used", "textdraft_peer_invalid")


def fault(method: str, exc: BaseException) -> WriteFault | None:
    """``exc`` as a WriteFault, or None when it is no platform error (a bug: let it raise)."""
    if isinstance(exc, RetryAfter):
        return WriteFault(method, "429 flood control", retry_after=_seconds(exc))
    if isinstance(exc, TimedOut | TimeoutError):
        return WriteFault(method, "timeout")
    if isinstance(exc, Forbidden | InvalidToken | ChatMigrated):
        return WriteFault(method, exc.message, permanent=True,
                          refusal=method == "sendMessageDraft")
    if isinstance(exc, BadRequest):
        said = exc.message.lower()
        refused = method == "sendMessageDraft" and any(w in said for w in _DRAFT_REFUSALS)
        return WriteFault(method, exc.message, refusal=refused,
                          permanent=any(words in said for words in _PERMANENT))
    if isinstance(exc, NetworkError | TelegramError):
        return WriteFault(method, exc.message)  # 5xx, a reset, an unreadable reply
    return None


def whole_bot(fault: WriteFault) -> bool:
    """A refusal no chat will lift: the Bot API server has no such method."""
    return fault.refusal and ("not found" in fault.error.lower() or "404" in fault.error)


def calling(method: str) -> contextlib.AbstractContextManager[None]:
    """Raise what fails inside as the WriteFault of ``method``."""
    return translating(method, fault)


def _seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB warns that the int form is deprecated
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
