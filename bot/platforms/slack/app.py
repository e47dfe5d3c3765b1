"""Which Slack event, command and button goes to which handler (run by bot.app.slack_bot)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from slack_bolt.app.async_app import AsyncApp

from bot.platforms.dialects import slack_blocks as blocks
from bot.platforms.slack.commands import SlackCommands
from bot.platforms.slack.handlers import SlackEvents

log = logging.getLogger(__name__)


def listeners(events: SlackEvents) -> dict[str, Any]:
    """The Events API types the bot handles (the manifest subscribes to exactly these)."""
    return {"assistant_thread_started": events.on_assistant_thread,
            "app_mention": events.on_mention, "message": events.on_message}


def register(
    app: AsyncApp, events: SlackEvents, commands: SlackCommands, names: Mapping[str, str]
) -> None:
    """``names``: the manifest's slash command for each of ask, paper, search, digest, note."""
    for event, handler in listeners(events).items():
        app.event(event)(handler)
    for key in ("ask", "paper", "search", "digest", "note"):
        app.command(names[key])(getattr(commands, f"on_{key}"))
    for action in (blocks.FEEDBACK_UP, blocks.FEEDBACK_DOWN, blocks.ARXIV_SAVE):
        app.action(action)(commands.on_button)
    app.view(blocks.FEEDBACK_NOTE)(commands.on_feedback_note)

    @app.error
    async def on_error(error: Exception, body: dict[str, Any]) -> None:
        log.error("Slack listener failed (%s): %s", body.get("type"), error.__class__.__name__)
