"""Telegram: a python-telegram-bot application for DMs, groups and commands."""

from bot.platforms.telegram.app import Receiving, TelegramBot, register

__all__ = ["Receiving", "TelegramBot", "register"]
