"""Telegram: the updates and commands of a PTB application, translated for the conversation."""

from bot.platforms.telegram.app import register

__all__ = ["register"]
