"""Slack: the events, commands and buttons of a Bolt app, translated for the conversation."""
