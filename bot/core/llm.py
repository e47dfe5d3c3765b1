"""What the core needs from a chat model; the openai-backed adapter lives in bot/llm."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, TypedDict


class Message(TypedDict):
    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True, slots=True)
class Window:
    """A model's context window, in tokens (None: not known), and where that was read."""

    tokens: int | None
    source: str


class ChatModel(Protocol):
    """A chat model. Both calls raise ``bot.core.errors.LLMError`` subclasses, nothing else.

    Deadline contract: the first token (retries included) arrives within the adapter's timeout,
    and no silence between tokens lasts longer than it; otherwise ``LLMTimeout``.
    """

    name: str

    async def complete(self, messages: Sequence[Message], *, max_tokens: int | None = None) -> str:
        """The whole reply text."""
        ...

    def stream(
        self, messages: Sequence[Message], *, max_tokens: int | None = None
    ) -> AsyncIterator[str]:
        """The reply as text deltas, as they arrive."""
        ...

    async def context_window(self) -> Window:
        """The model's context window (see bot.core.answering.budget); never raises."""
        ...

    async def aclose(self) -> None:
        """Release the HTTP client."""
        ...
