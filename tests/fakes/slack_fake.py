"""A fake Slack: the Web API under /api/<method>, a Socket Mode WebSocket, response_url sinks.

Wire-true enough for slack_sdk and Bolt: form or JSON bodies, Bearer tokens, ``ok``/``error``
replies, HTTP 429 with Retry-After, the Socket Mode hello/envelope/ack exchange. Channels keep
their messages, so ``conversations.replies`` returns real thread history.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.base import Fault, FaultScript, Resets, ThreadedServer, stall_or_reset

BOT_USER, BOT_ID, TEAM = "UBOT", "BBOT", "T0001"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)


Fail = Fault  # a scripted error reply, reset or stall (tests.fakes.base.Fault)


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.messages: dict[str, list[dict[str, Any]]] = {}  # channel -> messages
        self.acks: dict[str, tuple[float, dict | None]] = {}  # envelope -> (seconds, payload)
        self._sent_at: dict[str, float] = {}
        self.faults = FaultScript()
        self._sockets: list[web.WebSocketResponse] = []
        self._ts = itertools.count(1)
        self._lock = threading.Lock()
        self.resets = Resets()
        app = web.Application(middlewares=[self.resets.middleware])
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)  # slack_sdk GETs some reads
        app.router.add_get("/link/", self._socket)
        app.router.add_post("/response/{id}", self._response_url)
        self.server = ThreadedServer(app)

    # --- lifecycle and inspection (any thread) ---
    @property
    def api_url(self) -> str:
        return f"{self.server.url}/api/"

    def start(self) -> FakeSlack:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    def fail_next(self, method: str, *fails: Fault) -> None:
        for fail in fails or [Fault()]:
            self.faults.add(method, fail)

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        with self._lock:
            return [c.params for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(found := self.calls_to(method)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{method}: {len(found)} of {count} calls after {timeout}s")
            await asyncio.sleep(0.02)
        return found

    def next_ts(self) -> str:
        return f"{1_700_000_000 + next(self._ts)}.{0:06d}"

    def add_message(self, channel: str, message: dict[str, Any]) -> None:
        """A user's message, as channel history (conversations.replies returns it)."""
        with self._lock:
            self.messages.setdefault(channel, []).append(dict(message))

    def thread(self, channel: str, thread_ts: str) -> list[dict[str, Any]]:
        with self._lock:
            found = [
                m
                for m in self.messages.get(channel, [])
                if m.get("ts") == thread_ts or m.get("thread_ts") == thread_ts
            ]
        return sorted(found, key=lambda m: float(m["ts"]))

    # --- Socket Mode (call from the test's loop) ---
    async def wait_connected(self, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while not self._sockets:
            if time.monotonic() > deadline:
                raise AssertionError("no Socket Mode connection")
            await asyncio.sleep(0.02)

    async def deliver(self, envelope_type: str, payload: dict, **extra: Any) -> str:
        """Send an envelope to the connected app; returns its envelope id."""
        envelope_id = str(uuid.uuid4())
        envelope = {"envelope_id": envelope_id, "type": envelope_type, "payload": payload}
        envelope |= {"accepts_response_payload": envelope_type != "events_api", **extra}
        await asyncio.wrap_future(self.server.submit(self._send(envelope)))
        return envelope_id

    async def wait_ack(self, envelope_id: str, timeout: float = 10) -> tuple[float, dict | None]:
        deadline = time.monotonic() + timeout
        while envelope_id not in self.acks:
            if time.monotonic() > deadline:
                raise AssertionError(f"envelope {envelope_id} not acked in {timeout}s")
            await asyncio.sleep(0.01)
        return self.acks[envelope_id]

    async def _send(self, envelope: dict) -> None:
        self._sent_at[envelope["envelope_id"]] = time.monotonic()
        for ws in list(self._sockets):
            await ws.send_str(json.dumps(envelope))

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(heartbeat=None)
        await ws.prepare(request)
        self._sockets.append(ws)
        hello = {"type": "hello", "num_connections": len(self._sockets)}
        await ws.send_str(json.dumps(hello | {"connection_info": {"app_id": "A0001"}}))
        try:
            async for message in ws:
                if message.type != WSMsgType.TEXT:
                    continue
                data = json.loads(message.data)
                if envelope_id := data.get("envelope_id"):
                    seconds = time.monotonic() - self._sent_at.get(envelope_id, time.monotonic())
                    self.acks[envelope_id] = (seconds, data.get("payload"))
        finally:
            self._sockets.remove(ws)
        return ws

    # --- Web API ---
    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        with self._lock:
            self.calls.append(Call(method, params, dict(request.headers)))
        fault = self.faults.take(method, params.get("channel") or params.get("channel_id"))
        if await stall_or_reset(request, fault):
            return web.Response(status=500)
        if not request.headers.get("Authorization", "").startswith("Bearer "):
            return web.json_response({"ok": False, "error": "not_authed"})
        if fault is not None and fault.kind == "reply":
            return _error_reply(fault)
        return web.json_response({"ok": True, **self._answer(method, params)})

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"url": "https://fake.slack.test/", "team": "Fake", "user": "notesbot",
                    "team_id": TEAM, "user_id": BOT_USER, "bot_id": BOT_ID}
        if method == "apps.connections.open":
            return {"url": f"ws://127.0.0.1:{self.server.port}/link/?ticket={uuid.uuid4()}"}
        if method == "chat.postMessage":
            return self._post(params)
        if method == "chat.update":
            return self._update(params)
        if method == "chat.delete":
            with self._lock:
                kept = [m for m in self.messages.get(params["channel"], [])
                        if m["ts"] != params["ts"]]
                self.messages[params["channel"]] = kept
            return {"channel": params["channel"], "ts": params["ts"]}
        if method == "chat.postEphemeral":
            return {"message_ts": self.next_ts()}
        if method in ("chat.startStream", "chat.appendStream", "chat.stopStream"):
            return self._stream(method, params)
        if method == "conversations.replies":
            return {"messages": self.thread(params["channel"], params["ts"]), "has_more": False}
        return {}

    def _post(self, params: dict[str, Any]) -> dict[str, Any]:
        ts = self.next_ts()
        message = {**params, "ts": ts, "user": BOT_USER, "bot_id": BOT_ID, "type": "message"}
        self.add_message(params["channel"], message)
        return {"channel": params["channel"], "ts": ts, "message": message}

    def _stream(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """A streamed message: started in a thread, appended to, stopped with its blocks."""
        if method == "chat.startStream":
            start = {**params, "text": params.get("markdown_text", ""), "streaming": True}
            return self._post(start)
        with self._lock:
            message = next(m for m in self.messages.get(params["channel"], [])
                           if m["ts"] == params["ts"])
            message["text"] += params.get("markdown_text", "")
            if method == "chat.stopStream":
                message.update(streaming=False, blocks=params.get("blocks"))
        return {"channel": params["channel"], "ts": params["ts"]}

    def _update(self, params: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            for message in self.messages.get(params["channel"], []):
                if message["ts"] == params["ts"]:
                    message.update({k: v for k, v in params.items() if k != "ts"})
        return {"channel": params["channel"], "ts": params["ts"], "text": params.get("text")}

    async def _response_url(self, request: web.Request) -> web.Response:
        body = await request.json()
        with self._lock:
            self.calls.append(Call("response_url", body, dict(request.headers)))
        return web.Response(text="ok")


def _error_reply(fault: Fault) -> web.Response:
    """Slack's error: ``ok: false`` with a code; a 5xx from its edge is no JSON at all."""
    if fault.status >= 500:
        return web.Response(status=fault.status, text="<html>upstream error</html>",
                            content_type="text/html")
    headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
    error = "ratelimited" if fault.status == 429 else fault.error
    return web.json_response({"ok": False, "error": error}, status=fault.status, headers=headers)


async def _params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query)
    if request.method == "GET":
        pass
    elif request.content_type == "application/json":
        params.update(await request.json())
    else:
        params.update(dict(await request.post()))
    for key in ("blocks", "attachments"):  # form bodies carry these as JSON strings
        if isinstance(params.get(key), str):
            params[key] = json.loads(params[key])
    return params
