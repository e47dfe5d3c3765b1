"""Secrets never reach the logs, whatever logs them: messages, URLs, tracebacks, JSON."""

from __future__ import annotations

import json
import logging

from pydantic import SecretStr

from bot.app.settings import Settings
from bot.ops.logs import MASK, MaskingFormatter


def record(message: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc else None
    return logging.LogRecord("httpx", logging.INFO, __file__, 1, message, args, exc_info)


def test_every_secret_setting_is_masked_in_text_and_tracebacks():
    settings = Settings(
        _env_file=None,
        telegram_token=SecretStr("123456:TELEGRAM-SECRET"),
        slack_bot_token=SecretStr("xoxb-slack-secret"),
        llm_api_key=SecretStr("sk-llm-secret"),
    )
    assert set(settings.secrets()) == {
        "123456:TELEGRAM-SECRET", "xoxb-slack-secret", "sk-llm-secret"
    }
    formatter = MaskingFormatter(settings.secrets(), as_json=False)
    url = "POST https://api.telegram.org/bot123456:TELEGRAM-SECRET/sendMessage"
    assert formatter.format(record("HTTP Request: %s", url)).endswith(f"bot{MASK}/sendMessage")
    try:
        raise ConnectionError("auth failed for xoxb-slack-secret")
    except ConnectionError as exc:
        text = formatter.format(record("failed", exc=exc))
    assert "xoxb-slack-secret" not in text and "ConnectionError" in text


def test_json_lines_are_structured_and_masked():
    formatter = MaskingFormatter(["sk-llm-secret"], as_json=True)
    entry = json.loads(formatter.format(record("key %s used", "sk-llm-secret")))
    assert entry["level"] == "INFO" and entry["logger"] == "httpx"
    assert entry["message"] == f"key {MASK} used" and "time" in entry
