"""The openai-backed chat model against a wire-true fake server: deadlines, retries, errors."""

from __future__ import annotations

import time

import pytest

from bot.core.errors import LLMError, LLMTimeout, LLMUnavailable
from bot.llm.chat import OpenAIChat, make_async_client
from tests.fakes.openai_fake import MODEL, Fault, Reply

KEY = "sk-test-SECRET-do-not-log"
MESSAGES = [{"role": "user", "content": "hello"}]


_OPENED: list[OpenAIChat] = []


@pytest.fixture(autouse=True)
async def closed_models():
    """Every model a test made is closed in that test's loop: an AsyncOpenAI left to the
    garbage collector schedules its aclose() on whatever loop runs then (a later test's)."""
    yield
    while _OPENED:
        await _OPENED.pop().aclose()


def chat_model(server, *, timeout: float = 2.0, retries: int = 2, model: str | None = MODEL):
    client = make_async_client(base_url=server.base_url, api_key=KEY, timeout=timeout)
    made = OpenAIChat(
        client=client, model=model, temperature=0.1, max_tokens=64, timeout=timeout,
        retries=retries,
    )
    _OPENED.append(made)
    return made


async def collect(model: OpenAIChat) -> list[str]:
    return [delta async for delta in model.stream(MESSAGES)]


async def test_completion_sends_model_settings_and_messages(openai_server):
    openai_server.script(Reply("こんにちは [1]"))
    model = chat_model(openai_server)
    assert await model.complete(MESSAGES, max_tokens=32) == "こんにちは [1]"
    sent = openai_server.chat_requests()[0]
    assert (sent["model"], sent["temperature"], sent["max_tokens"]) == (MODEL, 0.1, 32)
    assert sent["messages"] == MESSAGES
    assert openai_server.requests[0].headers["Authorization"] == f"Bearer {KEY}"
    await model.aclose()


async def test_streaming_yields_several_deltas(openai_server):
    openai_server.script(Reply("A streamed answer in pieces [1]."))
    deltas = await collect(chat_model(openai_server))
    assert len(deltas) > 3 and "".join(deltas) == "A streamed answer in pieces [1]."
    assert openai_server.chat_requests()[0]["stream"] is True


async def test_model_is_discovered_when_not_configured(openai_server):
    model = chat_model(openai_server, model=None)
    assert await model.complete(MESSAGES) and model.name == f"openai:{MODEL}"
    assert [r.path for r in openai_server.requests] == ["/v1/models", "/v1/chat/completions"]


async def test_429_waits_for_retry_after_then_succeeds(openai_server):
    openai_server.script(Fault.rate_limited(retry_after=1), Reply("ok"))
    started = time.monotonic()
    assert await chat_model(openai_server, timeout=3).complete(MESSAGES) == "ok"
    first, second = (r.at for r in openai_server.requests)
    assert second - first >= 0.95, "Retry-After is honoured"
    assert time.monotonic() - started < 2.5


@pytest.mark.parametrize("fault", [Fault.server_error(500), Fault.server_error(503), Fault.drop()])
async def test_transient_failures_are_retried(openai_server, fault):
    openai_server.script(fault, Reply("recovered"))
    assert await chat_model(openai_server).complete(MESSAGES) == "recovered"
    assert len(openai_server.chat_requests()) == 2


async def test_a_retry_after_beyond_the_budget_gives_up_at_once(openai_server):
    openai_server.script(Fault.rate_limited(retry_after=30))
    started = time.monotonic()
    with pytest.raises(LLMUnavailable, match="429"):
        await chat_model(openai_server, timeout=2).complete(MESSAGES)
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize("streaming", [False, True])
async def test_a_hang_past_the_timeout_raises_in_time(openai_server, streaming):
    openai_server.script(Fault.hang(10))
    model = chat_model(openai_server, timeout=1.0)
    started = time.monotonic()
    with pytest.raises(LLMTimeout):
        await (collect(model) if streaming else model.complete(MESSAGES))
    assert time.monotonic() - started < 1.6


async def test_persistent_failures_end_as_unavailable_after_the_retries(openai_server):
    openai_server.script(*[Fault.server_error()] * 3)
    with pytest.raises(LLMUnavailable, match="HTTP 500"):
        await chat_model(openai_server, retries=2).complete(MESSAGES)
    assert len(openai_server.chat_requests()) == 3


async def test_a_stream_dropped_midway_raises_without_retrying(openai_server):
    openai_server.script(Fault.drop_mid_stream())
    deltas: list[str] = []
    with pytest.raises(LLMError):
        async for delta in chat_model(openai_server).stream(MESSAGES):
            deltas.append(delta)
    assert deltas, "the first deltas arrived before the drop"
    assert len(openai_server.chat_requests()) == 1


FAULTS = [
    Fault.rate_limited(30), Fault.server_error(), Fault.hang(5), Fault.drop(),
    Fault.drop_mid_stream(), Fault.malformed(), Fault.server_error(401),
]


@pytest.mark.parametrize("streaming", [False, True])
@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f"{f.kind}-{f.status}")
async def test_only_llm_errors_escape_and_they_hold_no_secret(openai_server, fault, streaming):
    openai_server.script(*[fault] * 3)
    model = chat_model(openai_server, timeout=1.0)
    with pytest.raises(LLMError) as caught:
        await (collect(model) if streaming else model.complete(MESSAGES))
    text = f"{caught.value} {caught.value!r}"
    assert KEY not in text and "127.0.0.1" not in text


async def test_list_models(openai_server):
    assert await chat_model(openai_server).list_models() == [MODEL]
