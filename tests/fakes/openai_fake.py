"""A fake OpenAI-compatible server: chat completions (JSON and SSE), embeddings, models.

Faults are scripted per chat request, in order: ``server.script(Fault.rate_limited(1),
Reply("ok [1]"))``. With the script empty, ``server.responder(request_json)`` writes the reply.
Every request is recorded for the test to inspect.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.base import ThreadedServer

MODEL = "fake-model"


@dataclass(frozen=True)
class Reply:
    text: str
    delay: float = 0.0  # before answering
    pace: float = 0.005  # between streamed pieces of four characters


@dataclass(frozen=True)
class Fault:
    kind: str  # status | hang | drop | drop_mid_stream | malformed
    status: int = 500
    retry_after: float | None = None
    seconds: float = 0.0

    @classmethod
    def rate_limited(cls, retry_after: float = 1.0) -> Fault:
        return cls("status", 429, retry_after)

    @classmethod
    def server_error(cls, status: int = 500) -> Fault:
        return cls("status", status)

    @classmethod
    def hang(cls, seconds: float = 30.0) -> Fault:
        return cls("hang", seconds=seconds)

    @classmethod
    def drop(cls) -> Fault:
        return cls("drop")

    @classmethod
    def drop_mid_stream(cls) -> Fault:
        return cls("drop_mid_stream")

    @classmethod
    def malformed(cls) -> Fault:
        return cls("malformed")


@dataclass
class Recorded:
    path: str
    body: dict[str, Any]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)


class FakeOpenAI:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.responder: Callable[[dict[str, Any]], str] = lambda body: "Fake answer [1]."
        self.model_fields: dict[str, Any] = {}  # what /v1/models adds (vLLM: max_model_len)
        self._scripts: dict[str, list[Reply | Fault]] = {"chat": [], "embeddings": [], "rerank": []}
        self._lock = threading.Lock()
        app = web.Application()
        app.router.add_get("/v1/models", self._models)
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_post("/v1/embeddings", self._embeddings)
        app.router.add_post("/v1/rerank", self._rerank)
        self._server = ThreadedServer(app)

    @property
    def base_url(self) -> str:
        return f"{self._server.url}/v1"

    def start(self) -> FakeOpenAI:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    def script(self, *steps: Reply | Fault) -> None:
        """What the next chat requests get, in order."""
        with self._lock:
            self._scripts["chat"].extend(steps)

    def script_embeddings(self, *faults: Fault) -> None:
        with self._lock:
            self._scripts["embeddings"].extend(faults)

    def script_rerank(self, *faults: Fault) -> None:
        with self._lock:
            self._scripts["rerank"].extend(faults)

    def chat_requests(self) -> list[dict[str, Any]]:
        with self._lock:
            return [r.body for r in self.requests if r.path.endswith("/chat/completions")]

    def _next(self, endpoint: str) -> Reply | Fault | None:
        with self._lock:
            script = self._scripts[endpoint]
            return script.pop(0) if script else None

    async def _record(self, request: web.Request) -> dict[str, Any]:
        raw = await request.read()
        body = json.loads(raw) if raw else {}
        with self._lock:
            self.requests.append(Recorded(request.path, body, dict(request.headers)))
        return body

    async def _models(self, request: web.Request) -> web.Response:
        await self._record(request)
        return web.json_response({"object": "list", "data": [{**_model(), **self.model_fields}]})

    async def _embeddings(self, request: web.Request) -> web.Response:
        body = await self._record(request)
        fault = self._next("embeddings")
        if isinstance(fault, Fault):
            return await _fault(request, fault)
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        data = [
            {"object": "embedding", "index": i, "embedding": fake_vector(text)}
            for i, text in enumerate(inputs)
        ]
        return web.json_response({"object": "list", "data": data, "model": body.get("model")})

    async def _rerank(self, request: web.Request) -> web.Response:
        """vLLM's rerank API; the score is how often the query's last word occurs (testable)."""
        body = await self._record(request)
        fault = self._next("rerank")
        if isinstance(fault, Fault):
            return await _fault(request, fault)
        word = body["query"].split()[-1].lower()
        results = [
            {"index": i, "relevance_score": float(doc.lower().count(word)), "document": None}
            for i, doc in enumerate(body["documents"])
        ]
        results.sort(key=lambda r: r["relevance_score"], reverse=True)
        return web.json_response({"id": "rerank-fake", "model": body.get("model"),
                                  "results": results})

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        body = await self._record(request)
        step = self._next("chat") or Reply(self.responder(body))
        if isinstance(step, Fault) and step.kind != "drop_mid_stream":
            return await _fault(request, step)
        if isinstance(step, Reply) and step.delay:
            await asyncio.sleep(step.delay)
        text = step.text if isinstance(step, Reply) else "This answer will be cut off"
        if body.get("stream"):
            pace = step.pace if isinstance(step, Reply) else 0.005
            return await _sse(request, text, body, drop=isinstance(step, Fault), pace=pace)
        if isinstance(step, Fault):
            return await _cut_json(request, _completion(text, body))
        return web.json_response(_completion(text, body))


async def _fault(request: web.Request, fault: Fault) -> web.StreamResponse:
    if fault.kind == "status":
        headers = {"Retry-After": f"{fault.retry_after:g}"} if fault.retry_after else {}
        error = {"error": {"message": f"fake {fault.status}", "type": "fake", "code": None}}
        return web.json_response(error, status=fault.status, headers=headers)
    if fault.kind == "hang":
        await asyncio.sleep(fault.seconds)
        return web.json_response({"error": {"message": "too late"}}, status=504)
    if fault.kind == "drop":
        assert request.transport is not None
        request.transport.close()  # no status line at all: the client sees a dropped connection
        raise asyncio.CancelledError
    return web.Response(text="{not json", content_type="application/json")  # malformed


async def _sse(
    request: web.Request, text: str, body: dict, *, drop: bool, pace: float
) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
    await response.prepare(request)
    pieces = [text[i : i + 4] for i in range(0, len(text), 4)] or [""]
    for n, piece in enumerate(pieces):
        await response.write(f"data: {json.dumps(_chunk(piece, body))}\n\n".encode())
        await asyncio.sleep(pace)
        if drop and n == 2:
            assert request.transport is not None
            request.transport.close()
            return response
    await response.write(f"data: {json.dumps(_chunk(None, body, done=True))}\n\n".encode())
    await response.write(b"data: [DONE]\n\n")
    return response


async def _cut_json(request: web.Request, payload: dict[str, Any]) -> web.StreamResponse:
    """Headers and half a body, then the connection closes."""
    data = json.dumps(payload).encode()
    response = web.StreamResponse(headers={"Content-Type": "application/json"})
    response.content_length = len(data)
    await response.prepare(request)
    await response.write(data[: len(data) // 2])
    assert request.transport is not None
    request.transport.close()
    return response


def _completion(text: str, body: dict) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", MODEL),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunk(piece: str | None, body: dict, done: bool = False) -> dict[str, Any]:
    delta = {} if piece is None else {"content": piece}
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": body.get("model", MODEL),
        "choices": [{"index": 0, "delta": delta, "finish_reason": "stop" if done else None}],
    }


def _model() -> dict[str, Any]:
    return {"id": MODEL, "object": "model", "created": 0, "owned_by": "tests"}


def fake_vector(text: str, dim: int = 32) -> list[float]:
    """Deterministic unit vector per text, so tests can predict what was stored."""
    digest = hashlib.sha256(text.encode()).digest()
    raw = [(digest[i % len(digest)] - 127.5) / 127.5 for i in range(dim)]
    norm = math.sqrt(sum(x * x for x in raw)) or 1.0
    return [x / norm for x in raw]


def quoting_responder(body: dict[str, Any]) -> str:
    """A well-behaved model: answers with the first passage's first line of text, citing [1]."""
    prompt = body["messages"][-1]["content"]
    block = prompt.split("[1] ", 1)[-1].split("\n[2] ", 1)[0]
    lines = [line.strip(" -*#|") for line in block.splitlines()[1:] if line.strip(" -*#|")]
    return f"{lines[0] if lines else 'ノートの抜粋のとおりです'} [1]"
