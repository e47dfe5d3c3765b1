"""A model's context window, as its server states it, else from a table of known models.

vLLM lists ``max_model_len`` with each model (``GET /v1/models``); llama.cpp's server says
``n_ctx`` at ``GET /props``; Ollama shows the model's ``num_ctx`` and trained length at
``POST /api/show``. Hosted APIs say nothing: their models' windows are published, so a table.
Every probe is bounded by a short timeout, and a server that answers none of them costs three
quick 404s once per process.
"""

from __future__ import annotations

import logging
import re

import httpx

from bot.core.llm import Window

log = logging.getLogger(__name__)
_LIST_KEYS = ("max_model_len", "context_length", "context_window", "max_context_length")
OLLAMA_DEFAULT_CTX = 4_096  # what Ollama gives a model whose Modelfile sets no num_ctx
_NUM_CTX = re.compile(r"^\s*num_ctx\s+(\d+)", re.M)
# Published windows, most specific first (matched anywhere in the lower-cased model id).
KNOWN: tuple[tuple[str, int], ...] = (
    (r"gpt-4\.1", 1_047_576), (r"gpt-5", 400_000), (r"gpt-4o", 128_000),
    (r"gpt-4-turbo", 128_000), (r"gpt-4-32k", 32_768), (r"gpt-4", 8_192),
    (r"gpt-3\.5-turbo", 16_385), (r"\bo[134](?:-mini|-pro)?\b", 200_000),
    (r"claude", 200_000), (r"gemini", 1_048_576), (r"deepseek", 64_000),
    (r"llama-?3\.[123]", 131_072), (r"llama-?3\b", 8_192), (r"qwen-?[23]", 32_768),
    (r"gemma-?3", 131_072), (r"gemma-?2", 8_192), (r"mistral-large", 131_072),
    (r"mistral|mixtral", 32_768), (r"smollm2?", 8_192), (r"phi-?4", 16_384),
)


def known_window(model: str | None) -> Window | None:
    name = (model or "").lower()
    for pattern, tokens in KNOWN:
        if re.search(pattern, name):
            return Window(tokens, f"the published window for {model}")
    return None


async def read_window(
    *, base_url: str, api_key: str | None, model: str | None, timeout: float = 5.0
) -> tuple[Window, bool]:
    """(the window, whether the server answered at all: if not, ask again later)."""
    base = base_url.rstrip("/")
    root = base.removesuffix("/v1")
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    answered = False
    async with httpx.AsyncClient(timeout=timeout, headers=headers) as client:
        for probe in (_listed, _llama_cpp, _ollama):
            try:
                found = await probe(client, base, root, model)
                answered = True
            except httpx.HTTPStatusError:
                answered = True  # not this kind of server
                continue
            except (httpx.HTTPError, ValueError, KeyError, TypeError, AttributeError) as exc:
                log.debug("context window probe %s: %s", probe.__name__, type(exc).__name__)
                continue
            if found is not None and found.tokens:
                return found, True
    table = known_window(model)
    if table is not None:
        return table, answered
    if not answered:
        return Window(None, "the model server did not answer"), False
    return Window(None, "the server does not say and the model is not in the table"), True


def _json(response: httpx.Response) -> object:
    response.raise_for_status()
    return response.json()


async def _listed(
    client: httpx.AsyncClient, base: str, root: str, model: str | None
) -> Window | None:
    data = _json(await client.get(f"{base}/models"))
    models = data.get("data", []) if isinstance(data, dict) else []
    entry = next((m for m in models if m.get("id") == model), models[0] if models else None)
    for key in _LIST_KEYS:
        if entry and isinstance(entry.get(key), int) and entry[key] > 0:
            return Window(entry[key], f"{key} in the server's model list")
    return None


async def _llama_cpp(
    client: httpx.AsyncClient, base: str, root: str, model: str | None
) -> Window | None:
    props = _json(await client.get(f"{root}/props"))
    if not isinstance(props, dict):
        return None
    settings = props.get("default_generation_settings") or {}
    n_ctx = settings.get("n_ctx") or props.get("n_ctx")
    return Window(int(n_ctx), "n_ctx in llama.cpp's /props") if n_ctx else None


async def _ollama(
    client: httpx.AsyncClient, base: str, root: str, model: str | None
) -> Window | None:
    if not model:
        return None
    shown = _json(await client.post(f"{root}/api/show", json={"model": model}))
    if not isinstance(shown, dict):
        return None
    if m := _NUM_CTX.search(str(shown.get("parameters") or "")):
        return Window(int(m[1]), "num_ctx in Ollama's /api/show")
    info = shown.get("model_info") or {}
    trained = next((v for k, v in info.items() if k.endswith(".context_length")), None)
    if trained is None:
        return None
    # Ollama cuts a longer prompt silently: its default window counts, not the trained one.
    return Window(min(int(trained), OLLAMA_DEFAULT_CTX),
                  f"Ollama's default num_ctx (the model was trained for {int(trained):,}; "
                  "set num_ctx in its Modelfile)")
