"""How a bot treats the people who write to it: who may ask, how often, what it remembers."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.access import Allowlist, RateLimiter
from bot.core.answers import Lang


@dataclass(frozen=True, slots=True)
class BotPolicy:
    allow: Allowlist
    limiter: RateLimiter
    draft_interval: float = 1.0  # seconds between streamed edits
    history_turns: int = 6
    timezone: str = "Asia/Tokyo"  # for "today" in on-demand digests
    digest_lang: Lang = "ja"
