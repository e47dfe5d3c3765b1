"""The context window, read as each kind of server states it (issue 29), and the budget the
answers get from it: through the real client, against servers on 127.0.0.1."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web

from bot.core.answering.budget import HUGE, LARGE, SMALL, choose_budget
from bot.llm.chat import OpenAIChat, make_async_client
from bot.llm.context_window import known_window, read_window
from tests.fakes.base import ThreadedServer
from tests.fakes.chroma import free_port
from tests.fakes.openai_fake import MODEL


def chat_for(base_url: str, model: str | None = MODEL) -> OpenAIChat:
    client = make_async_client(base_url=base_url, api_key="sk-secret", timeout=2.0)
    return OpenAIChat(client=client, model=model, temperature=0, max_tokens=64, timeout=2.0,
                      retries=0)


class OtherServer:
    """llama.cpp's server (``/props``) or Ollama (``/api/show``), as JSON they really send."""

    def __init__(self, routes: dict[str, Any]) -> None:
        self.seen: list[tuple[str, str, Any]] = []
        app = web.Application()
        app.router.add_get("/v1/models", self._models)
        for path, payload in routes.items():
            method = app.router.add_post if path == "/api/show" else app.router.add_get
            method(path, self._reply(payload))
        self.server = ThreadedServer(app).start()

    def _reply(self, payload: Any):  # type: ignore[no-untyped-def]
        async def handler(request: web.Request) -> web.Response:
            body = await request.json() if request.can_read_body else None
            self.seen.append((request.method, request.path, body))
            return web.json_response(payload)

        return handler

    async def _models(self, request: web.Request) -> web.Response:
        self.seen.append((request.method, request.path, None))
        return web.json_response({"object": "list", "data": [{"id": "local", "object": "model"}]})


async def test_vllm_says_max_model_len_and_a_32k_model_reads_4000_tokens(openai_server):
    openai_server.model_fields = {"max_model_len": 32_768}
    chat = chat_for(openai_server.base_url)
    try:
        window = await chat.context_window()
    finally:
        await chat.aclose()
    assert (window.tokens, window.source) == (32_768, "max_model_len in the server's model list")
    budget = choose_budget(window)
    assert budget.tokens == LARGE >= 4_000
    assert "window of 32,768 tokens" in budget.describe()
    auth = {r.headers.get("Authorization") for r in openai_server.requests}
    assert auth == {"Bearer sk-secret"}, "the probe is authorised like every other call"


async def test_llama_cpp_says_n_ctx_at_props_and_8k_keeps_the_small_prompt():
    server = OtherServer({"/props": {"default_generation_settings": {"n_ctx": 8192},
                                     "total_slots": 1}})
    try:
        window, answered = await read_window(base_url=f"{server.server.url}/v1", api_key=None,
                                             model="local")
    finally:
        server.server.stop()
    assert answered and window.tokens == 8192 and "llama.cpp" in window.source
    assert choose_budget(window).tokens == SMALL
    assert [(m, p) for m, p, _ in server.seen] == [("GET", "/v1/models"), ("GET", "/props")]


@pytest.mark.parametrize(
    ("shown", "tokens"),
    [
        ({"parameters": "num_ctx 32768\nstop \"<|eot_id|>\"",
          "model_info": {"llama.context_length": 131072}}, 32_768),
        # No num_ctx: Ollama cuts prompts at its default, whatever the model was trained for.
        ({"parameters": "", "model_info": {"qwen2.context_length": 32768}}, 4_096),
    ],
)
async def test_ollama_says_num_ctx_at_api_show(shown, tokens):
    server = OtherServer({"/api/show": shown})
    try:
        window, _ = await read_window(base_url=f"{server.server.url}/v1", api_key=None,
                                      model="qwen2.5:7b")
    finally:
        server.server.stop()
    assert window.tokens == tokens
    assert ("POST", "/api/show", {"model": "qwen2.5:7b"}) in server.seen


async def test_a_hosted_model_the_server_says_nothing_of_comes_from_the_table(openai_server):
    chat = chat_for(openai_server.base_url, model="gpt-4o-mini")
    try:
        window = await chat.context_window()
    finally:
        await chat.aclose()
    assert window.tokens == 128_000 and "gpt-4o-mini" in window.source
    assert choose_budget(window).tokens == HUGE
    assert known_window("meta-llama/Llama-3.1-8B-Instruct").tokens == 131_072  # type: ignore[union-attr]
    assert known_window("SmolLM2-135M-Instruct.Q4_1").tokens == 8_192  # type: ignore[union-attr]
    assert known_window("my-finetune") is None


async def test_an_unreachable_server_is_asked_again_and_the_setting_always_wins():
    chat = chat_for(f"http://127.0.0.1:{free_port()}/v1", model="my-finetune")
    try:
        window = await chat.context_window()
    finally:
        await chat.aclose()
    assert window.tokens is None and "did not answer" in window.source
    assert chat._window is None, "not remembered: the server may come up"
    assert choose_budget(window).tokens == SMALL
    assert choose_budget(window, 2_000).tokens == 2_000
    assert choose_budget(None, 2_000).reason == "NOTESBOT_LLM_CONTEXT_TOKENS"
