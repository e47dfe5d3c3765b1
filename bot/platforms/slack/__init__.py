"""Slack: a Bolt app that answers mentions, DMs, thread replies and slash commands."""

from bot.platforms.slack.app import SlackBot, build_slack

__all__ = ["SlackBot", "build_slack"]
