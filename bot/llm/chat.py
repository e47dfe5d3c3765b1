"""ChatModel over ``openai.AsyncOpenAI``: hosted OpenAI, vLLM, Ollama, any compatible server.

Deadlines are ours, not the client's (600 s, 2 retries by default): the first token, retries
included, within ``timeout``; no silence between tokens longer than ``timeout``. A 429 or 5xx
is retried with backoff (honouring Retry-After) only while the budget allows. Every failure
leaves as an ``LLMError`` whose message names no key and no URL.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import TypeVar

import httpx
import openai
from openai import AsyncOpenAI
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt
from tenacity.wait import wait_random_exponential

from bot.core.errors import LLMError, LLMTimeout, LLMUnavailable
from bot.core.llm import Message, Window
from bot.llm.context_window import known_window, read_window

log = logging.getLogger(__name__)
T = TypeVar("T")
_BACKOFF = wait_random_exponential(multiplier=0.25, max=4.0)


def make_async_client(
    *, base_url: str, api_key: str | None, timeout: float, connect_timeout: float = 5.0
) -> AsyncOpenAI:
    """Explicit URL and key: the library never falls back to OPENAI_* environment variables."""
    return AsyncOpenAI(
        base_url=base_url,
        api_key=api_key or "not-needed",  # vLLM and Ollama accept any key
        timeout=httpx.Timeout(timeout, connect=min(connect_timeout, timeout)),
        max_retries=0,  # retries are ours, bounded by the answer's deadline
    )


class OpenAIChat:
    def __init__(
        self,
        *,
        client: AsyncOpenAI,
        model: str | None,
        temperature: float,
        max_tokens: int,
        timeout: float,
        retries: int,
    ) -> None:
        self.name = f"openai:{model or 'auto'}"
        self._client = client
        self._model = model
        self._temperature = temperature
        self._max_tokens = max_tokens
        self._timeout = timeout
        self._retries = retries
        self._window: Window | None = None

    async def complete(self, messages: Sequence[Message], *, max_tokens: int | None = None) -> str:
        async def once() -> str:
            response = await self._client.chat.completions.create(**await self._request(
                messages, max_tokens
            ))
            choices = getattr(response, "choices", None)
            text = choices[0].message.content if choices else None
            if not isinstance(text, str) or not text.strip():
                raise LLMUnavailable("empty or malformed reply")
            return text

        return await self._within_deadline(once)

    async def stream(
        self, messages: Sequence[Message], *, max_tokens: int | None = None
    ) -> AsyncIterator[str]:
        async def first_delta() -> tuple[AsyncIterator[object], str]:
            request = await self._request(messages, max_tokens)
            chunks = await self._client.chat.completions.create(**request, stream=True)
            iterator = chunks.__aiter__()
            async for chunk in iterator:
                if text := _delta_text(chunk):
                    return iterator, text
            raise LLMUnavailable("empty reply")

        iterator, first = await self._within_deadline(first_delta)
        try:
            yield first
            while True:
                try:
                    async with asyncio.timeout(self._timeout):
                        chunk = await anext(iterator)
                except StopAsyncIteration:
                    return
                except TimeoutError as exc:
                    raise LLMTimeout(f"the model went silent for {self._timeout:g}s") from exc
                except (openai.OpenAIError, httpx.HTTPError, ValueError) as exc:
                    raise _translate(exc) from exc  # mid-answer: not retried
                if text := _delta_text(chunk):
                    yield text
        finally:
            close = getattr(iterator, "aclose", None)
            if close is not None:
                await close()

    async def list_models(self) -> list[str]:
        async def once() -> list[str]:
            page = await self._client.models.list()
            return [model.id for model in page.data]

        return await self._within_deadline(once)

    async def context_window(self) -> Window:
        """The model's context window, read once from its server (asked again while the
        server cannot be reached), else from the table of known models."""
        if self._window is not None:
            return self._window
        probe = min(5.0, self._timeout)
        try:
            async with asyncio.timeout(4 * probe):  # three probes and the model list at most
                model = await self._model_name()
                window, answered = await read_window(
                    base_url=str(self._client.base_url),
                    api_key=self._client.api_key,
                    model=model,
                    timeout=probe,
                )
        except (TimeoutError, LLMError, openai.OpenAIError, httpx.HTTPError):
            return known_window(self._model) or Window(None, "the model server did not answer")
        if answered:
            self._window = window
        return window

    async def aclose(self) -> None:
        await self._client.close()

    async def _request(self, messages: Sequence[Message], max_tokens: int | None) -> dict:
        return {
            "model": await self._model_name(),
            "messages": list(messages),
            "temperature": self._temperature,
            "max_tokens": max_tokens or self._max_tokens,
        }

    async def _model_name(self) -> str:
        """The configured model, or the server's first (vLLM and Ollama list what they serve)."""
        if self._model is None:
            page = await self._client.models.list()
            if not page.data:
                raise LLMUnavailable("the server lists no model; set NOTESBOT_LLM_MODEL")
            self._model = page.data[0].id
            self.name = f"openai:{self._model}"
        return self._model

    async def _within_deadline(self, attempt: Callable[[], Awaitable[T]]) -> T:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._timeout
        retrying = AsyncRetrying(
            retry=retry_if_exception(_retryable),
            wait=_wait,
            stop=stop_after_attempt(self._retries + 1) | _past(deadline, loop),
            reraise=True,
            before_sleep=lambda state: log.info("LLM retry in %.1fs: %s", state.upcoming_sleep,
                                                _describe(state)),
        )
        try:
            async with asyncio.timeout(self._timeout):
                return await retrying(attempt)
        except TimeoutError as exc:
            raise LLMTimeout(f"no reply within {self._timeout:g}s") from exc
        except LLMError:
            raise
        except (openai.OpenAIError, httpx.HTTPError, ValueError, AttributeError) as exc:
            raise _translate(exc) from exc


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code == 429 or exc.status_code >= 500
    return isinstance(exc, openai.APIConnectionError | httpx.TransportError)


def _wait(state: RetryCallState) -> float:
    exc = state.outcome.exception() if state.outcome else None
    if isinstance(exc, openai.APIStatusError):
        try:
            return max(0.0, float(exc.response.headers.get("retry-after", "")))
        except ValueError:
            pass
    return _BACKOFF(state)


def _past(deadline: float, loop: asyncio.AbstractEventLoop) -> Callable[[RetryCallState], bool]:
    """Stop when the coming sleep would end past the deadline: fail fast, don't sleep in vain."""

    def stop(state: RetryCallState) -> bool:
        return loop.time() + (state.upcoming_sleep or 0.0) >= deadline

    return stop


def _delta_text(chunk: object) -> str:
    choices = getattr(chunk, "choices", None)
    if not choices:
        return ""
    content = getattr(getattr(choices[0], "delta", None), "content", None)
    return content if isinstance(content, str) else ""


def _describe(state: RetryCallState) -> str:
    exc = state.outcome.exception() if state.outcome else None
    return exc.__class__.__name__ if exc else "?"


def _translate(exc: BaseException) -> LLMError:
    """A short, secret-free reason: status codes and error classes, never bodies or URLs."""
    if isinstance(exc, openai.APIStatusError):
        return LLMUnavailable(f"the model server answered HTTP {exc.status_code}")
    if isinstance(exc, openai.APITimeoutError):
        return LLMTimeout("the model server timed out")
    if isinstance(exc, openai.APIConnectionError | httpx.TransportError):
        return LLMUnavailable("could not reach the model server")
    return LLMUnavailable(f"malformed reply from the model server ({exc.__class__.__name__})")
