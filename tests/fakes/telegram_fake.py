"""A fake Telegram Bot API at /bot<token>/<method>, for PTB with ``base_url``.

Wire-true where bots break: long-polled getUpdates with offsets, Telegram's HTML parse mode
validated strictly (so "can't parse entities" reproduces), the 4,096-character limit,
"message is not modified", and 429 with ``parameters.retry_after``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from aiohttp import web

from tests.fakes.base import Fault, FaultScript, Resets, ThreadedServer, stall_or_reset
from tests.fakes.telegram_html import HtmlError, visible_text

BOT = {"id": 9000, "is_bot": True, "first_name": "Notes", "username": "notes_test_bot"}
_RAW = {"text", "caption", "parse_mode", "url", "secret_token", "description"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


class FakeTelegram:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.chats: dict[int, dict[int, dict[str, Any]]] = {}  # chat -> message id -> message
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self.faults = FaultScript()
        self._lock = threading.Lock()
        self._new_update: asyncio.Event | None = None
        self.resets = Resets()
        app = web.Application(middlewares=[self.resets.middleware])
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        self.server = ThreadedServer(app)

    @property
    def base_url(self) -> str:
        return f"{self.server.url}/bot"

    def start(self) -> FakeTelegram:
        self.server.start()
        self.server.call(self._make_event())
        return self

    async def _make_event(self) -> None:
        self._new_update = asyncio.Event()

    def stop(self) -> None:
        self.server.stop()

    # --- test side ---
    def push_update(self, update: dict[str, Any]) -> int:
        with self._lock:
            update.setdefault("update_id", next(self._update_ids))
            self._updates.append(update)
        assert self._new_update is not None
        self.server.call_soon(self._new_update.set)
        return update["update_id"]

    def fail_next(self, method: str, *, status: int = 429, retry_after: int | None = 1,
                  description: str | None = None, times: int = 1) -> None:
        text = description or f"Too Many Requests: retry after {retry_after or 0}"
        self.faults.add(method, Fault("reply", status, text, retry_after), times=times)

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        with self._lock:
            return [c.params for c in self.calls if c.method == method]

    def timeline(self, method: str) -> list[float]:
        with self._lock:
            return [c.at for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 15) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(found := self.calls_to(method)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{method}: {len(found)} of {count} calls in {timeout}s")
            await asyncio.sleep(0.02)
        return found

    def messages(self, chat_id: int) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(m) for _, m in sorted(self.chats.get(chat_id, {}).items())]

    # --- the API ---
    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        with self._lock:
            self.calls.append(Call(method, params))
        fault = self.faults.take(method, params.get("chat_id"))
        if await stall_or_reset(request, fault):
            return web.Response(status=500)
        if fault is not None and fault.kind == "reply":
            return _error_reply(fault)
        try:
            result = await self._dispatch(method, params)
        except _ApiError as exc:
            body = {"ok": False, "error_code": exc.status, "description": exc.description}
            return web.json_response(body, status=exc.status)
        return web.json_response({"ok": True, "result": result})

    async def _dispatch(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT
        if method == "getUpdates":
            return await self._get_updates(params)
        if method == "sendMessage":
            return self._send(params)
        if method == "editMessageText":
            return self._edit(params)
        if method == "deleteMessage":
            with self._lock:
                gone = self.chats.get(int(params["chat_id"]), {}).pop(int(params["message_id"]),
                                                                       None)
            if gone is None:
                raise _ApiError(400, "Bad Request: message to delete not found")
            return True
        if method == "getWebhookInfo":
            return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        if method == "getMyCommands":
            return []
        return True

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset, limit = int(params.get("offset") or 0), int(params.get("limit") or 100)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        while True:
            with self._lock:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                ready = self._updates[:limit]
            if ready or time.monotonic() >= deadline:
                return ready
            assert self._new_update is not None
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), deadline - time.monotonic())

    def _send(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        text = _checked_text(params)
        message = {
            "message_id": next(self._message_ids), "date": int(time.time()), "from": BOT,
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "text": text, "raw": params["text"], "parse_mode": params.get("parse_mode"),
            "link_preview_options": params.get("link_preview_options"),
            "reply_to_message_id": (params.get("reply_parameters") or {}).get("message_id"),
        }
        with self._lock:
            self.chats.setdefault(chat_id, {})[message["message_id"]] = message
        return {k: v for k, v in message.items() if k not in ("raw", "parse_mode")} | {
            "text": text
        }

    def _edit(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        text = _checked_text(params)
        with self._lock:
            message = self.chats.get(chat_id, {}).get(message_id)
            if message is None:
                raise _ApiError(400, "Bad Request: message to edit not found")
            if message["raw"] == params["text"] and message["parse_mode"] == params.get(
                "parse_mode"
            ):
                raise _ApiError(400, "Bad Request: message is not modified: specified new "
                                     "message content and reply markup are exactly the same")
            message.update(text=text, raw=params["text"], parse_mode=params.get("parse_mode"),
                           link_preview_options=params.get("link_preview_options"))
            return {k: v for k, v in message.items() if k not in ("raw", "parse_mode")}


class _ApiError(Exception):
    def __init__(self, status: int, description: str) -> None:
        self.status, self.description = status, description


def _error_reply(fault: Fault) -> web.Response:
    """The Bot API's error: ``ok: false``, ``error_code`` and a description (429s say when)."""
    status = fault.status if fault.status >= 400 else 400
    description = fault.error
    if status == 429:
        description = f"Too Many Requests: retry after {fault.retry_after}"
    elif fault.error.startswith("HTTP "):
        description = HTTPStatus(status).phrase
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if status == 429:
        body["parameters"] = {"retry_after": fault.retry_after}
    return web.json_response(body, status=status)


async def post_update(url: str, update: dict[str, Any], secret: str | None) -> int:
    """Deliver an update to a bot's webhook as Telegram does; returns the HTTP status."""
    import aiohttp

    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
    async with aiohttp.ClientSession() as session, session.post(
        url, json=update, headers=headers
    ) as response:
        return response.status


def _checked_text(params: dict[str, Any]) -> str:
    raw = params.get("text") or ""
    try:
        text = visible_text(raw) if params.get("parse_mode") == "HTML" else raw
    except HtmlError as exc:
        raise _ApiError(400, f"Bad Request: can't parse entities: {exc}") from exc
    if not text.strip():
        raise _ApiError(400, "Bad Request: message text is empty")
    if len(text) > 4096:
        raise _ApiError(400, "Bad Request: message is too long")
    return text


async def _params(request: web.Request) -> dict[str, Any]:
    """PTB sends form fields whose non-string values are JSON-encoded."""
    raw: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        raw.update(await request.json())
    elif request.can_read_body:
        raw.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if key in _RAW or not isinstance(value, str):
            params[key] = value
            continue
        try:
            params[key] = json.loads(value)
        except json.JSONDecodeError:
            params[key] = value
    return params
