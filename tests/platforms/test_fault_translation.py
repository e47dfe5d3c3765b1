"""What each SDK error means for an answer: retried, given up, or streaming refused for good."""

from __future__ import annotations

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_slack_response import AsyncSlackResponse
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut

from bot.platforms.dialects import slack_faults as slack
from bot.platforms.dialects import telegram_faults as telegram


def slack_error(error: str | None, status: int = 200, headers: dict | None = None) -> Exception:
    data = {"ok": False, "error": error} if error else "<html>upstream error</html>"
    response = AsyncSlackResponse(
        client=None, http_verb="POST", api_url="https://slack.com/api/chat.update", req_args={},
        data=data, headers=headers or {}, status_code=status,
    )
    return SlackApiError("failed", response)


@pytest.mark.parametrize(("error", "status", "retried"), [
    ("internal_error", 200, True), ("something_new", 200, True), (None, 500, True),
    ("ratelimited", 429, True), ("channel_not_found", 200, False), ("invalid_auth", 200, False),
    (None, 404, False),
])
def test_slack_errors_are_retried_unless_they_cannot_clear(error, status, retried):
    fault = slack.fault("chat.update", slack_error(error, status))
    assert fault is not None and fault.permanent is not retried
    assert str(fault).startswith("chat.update: ")


def test_slack_retry_after_and_network_faults():
    fault = slack.fault("chat.update", slack_error("ratelimited", 429, {"Retry-After": "7"}))
    assert fault is not None and fault.retry_after == 7.0
    reset = slack.fault("chat.postMessage", aiohttp.ServerDisconnectedError())
    assert reset is not None and not reset.permanent and "connection lost" in reset.error
    assert slack.fault("chat.update", ValueError("a bug")) is None, "bugs are not faults"


def test_only_a_refusal_of_streams_turns_them_off_and_says_where():
    refused = slack.fault("chat.startStream", slack_error("method_not_supported"))
    assert refused is not None and refused.refusal
    assert slack.refusal_scope("method_not_supported") == "workspace"
    assert slack.refusal_scope("method_not_supported_for_channel_type") == "channel"
    failed = slack.fault("chat.appendStream", slack_error("something_new"))
    assert failed is not None and not failed.refusal and not failed.permanent
    not_a_stream = slack.fault("chat.update", slack_error("method_not_supported"))
    assert not_a_stream is not None and not not_a_stream.refusal


def test_telegram_errors():
    assert telegram.fault("sendMessage", RetryAfter(3)).retry_after == 3.0  # type: ignore[union-attr]
    for retried in (NetworkError("Internal Server Error"), TimedOut(), BadRequest("Something new")):
        fault = telegram.fault("sendMessage", retried)
        assert fault is not None and not fault.permanent, retried
    for permanent in (Forbidden("Forbidden: bot was blocked by the user"),
                      BadRequest("Bad Request: message to edit not found")):
        fault = telegram.fault("editMessageText", permanent)
        assert fault is not None and fault.permanent and not fault.refusal, permanent
    assert telegram.fault("sendMessage", KeyError("a bug")) is None


def test_a_server_without_drafts_refuses_them_everywhere_a_chat_only_there():
    missing = telegram.fault("sendMessageDraft", InvalidToken("Not Found"))
    assert missing is not None and missing.refusal and telegram.whole_bot(missing)
    here = telegram.fault("sendMessageDraft", BadRequest("Bad Request: TEXTDRAFT_PEER_INVALID"))
    assert here is not None and here.refusal and not telegram.whole_bot(here)
    busy = telegram.fault("sendMessageDraft", RetryAfter(5))
    assert busy is not None and not busy.refusal
