"""Logging for the CLI and the service: plain or JSON lines, with every secret masked.

Secrets leak through logs in ways no call site controls (httpx logs each request URL, and the
Telegram token is part of every Bot API URL; tracebacks quote URLs too), so masking happens on
the final formatted text, after the traceback is rendered.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime

MASK = "***"
_NOISY = ("httpx", "httpcore", "bm25s", "chromadb", "apscheduler.executors", "watchfiles")


class MaskingFormatter(logging.Formatter):
    def __init__(self, secrets: Iterable[str], *, as_json: bool) -> None:
        super().__init__("%(levelname)s %(name)s: %(message)s")
        # Longest first, so a secret containing another is masked whole.
        self._secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)
        self._json = as_json

    def format(self, record: logging.LogRecord) -> str:
        if not self._json:
            return self.mask(super().format(record))
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return self.mask(json.dumps(entry, ensure_ascii=False))

    def mask(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return text


def setup_logging(
    secrets: Iterable[str], *, as_json: bool = False, level: int = logging.WARNING
) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(MaskingFormatter(secrets, as_json=as_json))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in _NOISY:  # chatty at INFO; their warnings still show
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
