"""Telegram: the updates and commands of a PTB application, translated for the conversation."""
