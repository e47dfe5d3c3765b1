"""How a bot treats the people who write to it: who may ask, how often, what it remembers."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
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

    @classmethod
    def from_settings(
        cls, settings: Settings, *, users: list[str], chats: list[str], min_interval: float = 0.0
    ) -> BotPolicy:
        return cls(
            allow=Allowlist.of(users, chats),
            limiter=RateLimiter(per_minute=settings.user_questions_per_minute),
            draft_interval=max(min_interval, settings.draft_interval),
            history_turns=settings.history_turns,
            timezone=settings.digest_timezone,
            digest_lang=settings.summary_language,
        )
