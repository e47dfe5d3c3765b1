"""Telegram: a python-telegram-bot application for DMs, groups and commands."""

from bot.platforms.telegram.app import TelegramBot, build_telegram

__all__ = ["TelegramBot", "build_telegram"]
