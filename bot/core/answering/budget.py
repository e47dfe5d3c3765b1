"""How many tokens of passages a model reads: sized by its context window.

Measured (docs/benchmarks.md, issue 29): context recall rises from 750 tokens of passages to
4,000 and a little more at 8,000, so a model that can read more is given more passages. A
small window keeps the small prompt: small models there often run on a CPU, where reading
4,000 tokens costs many seconds before the first token.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.llm import ChatModel, Window

SMALL = 750  # a 4–8k window, a small model: today's prompt, a fast first token
LARGE = 4_000  # a window of 16k or more
HUGE = 8_000  # a window of 64k or more (hosted models): recall 0.93 → 0.95 at little cost
LARGE_WINDOW = 16_000
HUGE_WINDOW = 64_000


@dataclass(frozen=True, slots=True)
class ContextBudget:
    tokens: int
    reason: str

    def describe(self) -> str:
        return f"{self.tokens:,} tokens of passages ({self.reason})"


def choose_budget(window: Window | None, configured: int | None = None) -> ContextBudget:
    """The operator's setting, else what the window allows, else the small default."""
    if configured:
        return ContextBudget(configured, "NOTESBOT_LLM_CONTEXT_TOKENS")
    if window is None or window.tokens is None:
        why = window.source if window is not None else "no model"
        return ContextBudget(SMALL, f"context window not known: {why}")
    size = f"a window of {window.tokens:,} tokens ({window.source})"
    if window.tokens >= HUGE_WINDOW:
        return ContextBudget(HUGE, size)
    if window.tokens >= LARGE_WINDOW:
        return ContextBudget(LARGE, size)
    return ContextBudget(SMALL, f"{size}: a small model's prompt")


async def model_budget(chat: ChatModel | None, configured: int | None = None) -> ContextBudget:
    """The budget for ``chat``: the setting, else its window (which the model reads once)."""
    window = await chat.context_window() if chat is not None and not configured else None
    return choose_budget(window, configured)
