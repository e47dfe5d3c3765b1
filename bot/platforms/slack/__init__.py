"""Slack: a Bolt app that answers mentions, DMs, thread replies and slash commands."""

from bot.platforms.slack.app import SlackBot, register

__all__ = ["SlackBot", "register"]
