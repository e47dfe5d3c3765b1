"""Slack payloads as Slack sends them: Events API callbacks, slash commands, block actions."""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from typing import Any

from tests.fakes.slack_fake import BOT_USER, TEAM


def event_callback(event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    return {
        "token": "verification-token",
        "team_id": TEAM,
        "api_app_id": "A0001",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [
            {"team_id": TEAM, "user_id": BOT_USER, "is_bot": True, "is_enterprise_install": False}
        ],
    }


def mention(text: str, *, user: str, channel: str, ts: str, thread_ts: str | None = None) -> dict:
    event = {
        "type": "app_mention", "user": user, "text": f"<@{BOT_USER}> {text}", "ts": ts,
        "channel": channel, "event_ts": ts,
    }
    return event | ({"thread_ts": thread_ts} if thread_ts else {})


def message(
    text: str, *, user: str, channel: str, ts: str, thread_ts: str | None = None,
    channel_type: str = "channel",
) -> dict:
    event = {
        "type": "message", "user": user, "text": text, "ts": ts, "channel": channel,
        "event_ts": ts, "channel_type": channel_type,
    }
    return event | ({"thread_ts": thread_ts} if thread_ts else {})


def slash_command(
    command: str, text: str, *, user: str, channel: str, response_url: str
) -> dict[str, Any]:
    return {
        "token": "verification-token", "team_id": TEAM, "team_domain": "fake",
        "channel_id": channel, "channel_name": "general", "user_id": user,
        "user_name": user.lower(), "command": command, "text": text, "api_app_id": "A0001",
        "response_url": response_url, "trigger_id": f"{uuid.uuid4().int % 10**12}.1.x",
    }


def block_action(
    action_id: str, value: str, *, user: str, channel: str, message_ts: str, response_url: str
) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "fake"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM},
        "api_app_id": "A0001",
        "container": {"type": "message", "message_ts": message_ts, "channel_id": channel},
        "channel": {"id": channel, "name": "general"},
        "message": {"ts": message_ts, "type": "message", "text": ""},
        "response_url": response_url,
        "trigger_id": "1.1.x",
        "actions": [
            {"action_id": action_id, "block_id": "feedback", "type": "button",
             "value": value, "action_ts": str(time.time())}
        ],
    }


def signed_headers(body: str, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """Slack's v0 request signature: HMAC-SHA256 of ``v0:{timestamp}:{body}``."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    base = f"v0:{timestamp}:{body}".encode()
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": "application/json",
    }
