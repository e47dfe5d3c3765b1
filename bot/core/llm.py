"""What the core needs from a chat model; the openai-backed adapter lives in bot/llm."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Literal, Protocol, TypedDict

from bot.core.answering.budget import Window


class Message(TypedDict):
    role: Literal["system", "user", "assistant"]
    content: str


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
        """How many tokens the model reads (see bot.core.answering.budget); never raises."""
        ...

    async def aclose(self) -> None:
        """Release the HTTP client."""
        ...
