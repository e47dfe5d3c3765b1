"""What a failed Slack Web API call means for the answer: slack_sdk's and aiohttp's errors as
``WriteFault``s, named by their method."""

from __future__ import annotations

import contextlib

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.platforms.conversation.delivery import WriteFault, translating
from bot.platforms.dialects.slack_text import slack_error

# The same call will fail again: access, the target, or content Slack refuses.
_PERMANENT = {
    "not_authed", "invalid_auth", "account_inactive", "token_revoked", "token_expired",
    "no_permission", "missing_scope", "channel_not_found", "is_archived", "not_in_channel",
    "message_not_found", "cant_update_message", "edit_window_closed", "msg_too_long",
    "invalid_blocks", "invalid_blocks_format", "invalid_arguments", "no_text",
    "restricted_action", "ekm_access_denied", "HTTP 401", "HTTP 403", "HTTP 404",
}
# Streams are not offered here (as opposed to a stream call that failed this time).
_STREAM_REFUSALS = {
    "method_not_supported", "unknown_method", "not_allowed", "not_allowed_token_type",
    "feature_not_enabled", "missing_scope", "not_in_channel", "HTTP 404",
}


def refusal_scope(error: str) -> str | None:
    """"workspace" or "channel" when ``error`` refuses native streams for good, else None."""
    if "channel_type" in error or error == "not_in_channel":
        return "channel"
    if error in _STREAM_REFUSALS or error.endswith("_not_supported"):
        return "workspace"
    return None


def fault(method: str, exc: BaseException) -> WriteFault | None:
    """``exc`` as a WriteFault, or None when it is no platform error (a bug: let it raise)."""
    if isinstance(exc, SlackApiError):
        error = slack_error(exc)
        headers = getattr(exc.response, "headers", None) or {}
        after = {k.lower(): v for k, v in headers.items()}.get("retry-after")
        stream = method.startswith("chat.") and method.endswith("Stream")
        refused = stream and refusal_scope(error) is not None
        return WriteFault(method, error, retry_after=float(after) if after else None,
                          permanent=error in _PERMANENT, refusal=refused)
    if isinstance(exc, TimeoutError):
        return WriteFault(method, "timeout")
    if isinstance(exc, aiohttp.ClientError | OSError | SlackClientError):
        return WriteFault(method, f"connection lost ({type(exc).__name__})")
    return None


def calling(method: str) -> contextlib.AbstractContextManager[None]:
    """Raise what fails inside as the WriteFault of ``method``."""
    return translating(method, fault)
