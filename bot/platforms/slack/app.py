"""Which Slack event, command and button goes to which handler (run by bot.app.slack_bot)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from slack_bolt.app.async_app import AsyncApp

from bot.platforms.dialects.slack_blocks import FEEDBACK_DOWN, FEEDBACK_UP
from bot.platforms.slack.commands import SlackCommands
from bot.platforms.slack.handlers import SlackEvents

log = logging.getLogger(__name__)


def register(
    app: AsyncApp, events: SlackEvents, commands: SlackCommands, names: Mapping[str, str]
) -> None:
    """``names``: the manifest's slash command for each of ask, paper, search and digest."""
    app.event("app_mention")(events.on_mention)
    app.event("message")(events.on_message)
    for key in ("ask", "paper", "search", "digest"):
        app.command(names[key])(getattr(commands, f"on_{key}"))
    app.action(FEEDBACK_UP)(commands.on_feedback)
    app.action(FEEDBACK_DOWN)(commands.on_feedback)

    @app.error
    async def on_error(error: Exception, body: dict[str, Any]) -> None:
        log.error("Slack listener failed (%s): %s", body.get("type"), error.__class__.__name__)
