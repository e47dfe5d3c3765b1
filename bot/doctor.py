"""`notesbot doctor`: is everything a deployment needs there, reachable and consistent?

Each check is independent (one failing never hides the others), bounded by a timeout, and
reports a reason an operator can act on. Output is masked with the configured secrets.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from bot.config import Settings
from bot.index.bm25 import BM25Index
from bot.wiring import Index, chunking_options, make_chat_model, open_index
from ingest.pipeline import index_fingerprint

Status = Literal["ok", "warn", "fail", "skip"]
_NETWORK_TIMEOUT = 15.0


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    status: Status
    detail: str


async def run_checks(settings: Settings) -> list[Check]:
    checks = [_settings(settings), _notes(settings)]
    try:
        index = open_index(settings)
    except Exception as exc:
        checks.append(Check("index", "fail", f"cannot open: {exc.__class__.__name__}: {exc}"))
        index = None
    if index is not None:
        try:
            checks += _index(settings, index)
            checks.append(await _guarded("embedder", lambda: _embedder(index)))
        finally:
            index.close()
    checks.append(await _guarded("llm", lambda: _llm(settings)))
    checks.append(await _guarded("slack", lambda: _slack(settings)))
    checks.append(await _guarded("telegram", lambda: _telegram(settings)))
    return checks


async def _guarded(name: str, check: Callable[[], Awaitable[Check]]) -> Check:
    try:
        async with asyncio.timeout(_NETWORK_TIMEOUT):
            return await check()
    except TimeoutError:
        return Check(name, "fail", f"no answer within {_NETWORK_TIMEOUT:g}s")
    except Exception as exc:
        return Check(name, "fail", f"{exc.__class__.__name__}: {str(exc)[:200]}")


def _host(url: str | None) -> str:
    """A URL without credentials or paths, safe to print."""
    if not url:
        return "-"
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "")


def _settings(s: Settings) -> Check:
    chroma = f"server {s.chroma_host}:{s.chroma_port}" if s.chroma_host else "embedded"
    llm = _host(s.llm_base_url or ("https://api.openai.com" if s.llm_api_key else None))
    detail = (f"data {s.data_dir}; embedder {s.embed_backend}:{s.embed_model}; Chroma {chroma}; "
              f"LLM {llm}; Slack {'on' if s.slack_configured else 'off'}; "
              f"Telegram {'on' if s.telegram_configured else 'off'}")
    return Check("settings", "ok", detail)


def _notes(s: Settings) -> Check:
    from ingest.scan import scan_notes

    if not s.notes_dir.is_dir():
        return Check("notes", "fail", f"{s.notes_dir} is not a folder (NOTESBOT_NOTES_DIR)")
    count = len(scan_notes(s.notes_dir))
    return Check("notes", "ok" if count else "warn", f"{count} note files in {s.notes_dir}")


def _index(s: Settings, index: Index) -> list[Check]:
    rows, files = index.store.count_chunks(), len(index.store.file_digests())
    if not files:
        return [Check("index", "fail", "empty: run `notesbot ingest`")]
    checks = [Check("index", "ok", f"{files} files, {rows} chunks in SQLite")]
    built_with = index.store.get_meta("fingerprint")
    if built_with != index_fingerprint(chunking_options(s), index.embedder, index.tokenizer):
        checks.append(Check("index", "warn", f"built with {built_with}; settings changed since: "
                            "the next ingest rebuilds it"))
    if index.store.get_meta("dirty") == "1":
        checks.append(Check("index", "warn", "an ingest was interrupted; the next one repairs"))
    bm25 = BM25Index.load(s.data_dir)
    if bm25 is None or len(bm25.ids) != rows:
        found = len(bm25.ids) if bm25 else 0
        checks.append(Check("bm25", "fail", f"{found} documents for {rows} chunks: ingest again"))
    else:
        checks.append(Check("bm25", "ok", f"{len(bm25.ids)} documents"))
    checks.append(_chroma(index, rows))
    return checks


def _chroma(index: Index, rows: int) -> Check:
    problem = index.vectors.probe()
    if problem:
        return Check("chroma", "fail", f"cannot search its index ({problem}); the chroma #7090 "
                     "symptom: run `notesbot ingest --rebuild`")
    count = index.vectors.count()
    if count != rows:
        return Check("chroma", "fail", f"{count} vectors for {rows} chunks: `notesbot ingest`")
    return Check("chroma", "ok", f"{count} vectors; a stored vector finds itself")


async def _embedder(index: Index) -> Check:
    vector = await asyncio.to_thread(index.embedder.embed_query, "埋め込みの確認 check")
    return Check("embedder", "ok", f"{index.embedder.name}: {len(vector)} dimensions")


async def _llm(s: Settings) -> Check:
    chat = make_chat_model(s)
    if chat is None:
        return Check("llm", "skip", "not configured: answers are extractive")
    try:
        models = await chat.list_models()  # type: ignore[attr-defined]
    finally:
        await chat.aclose()
    if s.llm_model and s.llm_model not in models:
        return Check("llm", "fail", f"model {s.llm_model} not served (has: {', '.join(models)})")
    return Check("llm", "ok", f"{_host(s.llm_base_url)} serves {', '.join(models[:5])}")


async def _slack(s: Settings) -> Check:
    if s.slack_bot_token is None:
        return Check("slack", "skip", "not configured")
    from slack_sdk.errors import SlackApiError
    from slack_sdk.web.async_client import AsyncWebClient

    client = AsyncWebClient(
        token=s.slack_bot_token.get_secret_value(),
        base_url=s.slack_api_url or AsyncWebClient.BASE_URL,
        timeout=int(s.slack_timeout),
    )
    try:
        auth = await client.auth_test()
    except SlackApiError as exc:
        from bot.platforms.slack.handlers import slack_error

        return Check("slack", "fail", f"auth.test: {slack_error(exc)}")
    mode = "Socket Mode" if s.slack_app_token else "HTTP"
    return Check("slack", "ok", f"{auth.get('team')} as {auth.get('user')} ({mode})")


async def _telegram(s: Settings) -> Check:
    if s.telegram_token is None:
        return Check("telegram", "skip", "not configured")
    from telegram import Bot
    from telegram.error import TelegramError

    bot = Bot(s.telegram_token.get_secret_value(),
              base_url=s.telegram_base_url or "https://api.telegram.org/bot")
    try:
        async with bot:
            me = await bot.get_me()
    except TelegramError as exc:
        return Check("telegram", "fail", f"getMe: {exc.__class__.__name__}: {exc.message}")
    return Check("telegram", "ok", f"@{me.username} ({s.telegram_mode})")
