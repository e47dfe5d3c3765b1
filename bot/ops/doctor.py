"""`notesbot doctor`: is everything a deployment needs there, reachable and consistent?

Each check is independent (one failing never hides the others), bounded by a timeout, and
reports a reason an operator can act on. Output is masked with the configured secrets.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from bot.core.answering.budget import model_budget
from bot.core.llm import ChatModel
from bot.index.bm25 import BM25Index

if TYPE_CHECKING:
    from bot.app.compose import Index

Status = Literal["ok", "warn", "fail", "skip"]
_NETWORK_TIMEOUT = 15.0


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    status: Status
    detail: str


async def guarded(name: str, check: Callable[[], Awaitable[Check]]) -> Check:
    try:
        async with asyncio.timeout(_NETWORK_TIMEOUT):
            return await check()
    except TimeoutError:
        return Check(name, "fail", f"no answer within {_NETWORK_TIMEOUT:g}s")
    except Exception as exc:
        return Check(name, "fail", f"{exc.__class__.__name__}: {str(exc)[:200]}")


def host_of(url: str | None) -> str:
    """A URL without credentials or paths, safe to print."""
    if not url:
        return "-"
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "")


def notes_check(notes_dir: Path) -> Check:
    from ingest.scan import scan_notes

    if not notes_dir.is_dir():
        return Check("notes", "fail", f"{notes_dir} is not a folder (NOTESBOT_NOTES_DIR)")
    count = len(scan_notes(notes_dir))
    return Check("notes", "ok" if count else "warn", f"{count} note files in {notes_dir}")


def index_checks(index: Index, *, fingerprint: str, data_dir: Path) -> list[Check]:
    """The SQLite store, the BM25 index and Chroma agree, and match today's settings."""
    rows, files = index.store.count_chunks(), len(index.store.file_hashes())
    if not files:
        return [Check("index", "fail", "empty: run `notesbot ingest`")]
    checks = [Check("index", "ok", f"{files} files, {rows} chunks in SQLite")]
    built_with = index.store.get_meta("fingerprint")
    if built_with != fingerprint:
        checks.append(Check("index", "warn", f"built with {built_with}; settings changed since: "
                            "the next ingest rebuilds it"))
    if index.store.get_meta("dirty") == "1":
        checks.append(Check("index", "warn", "an ingest was interrupted; the next one repairs"))
    bm25 = BM25Index.load(data_dir)
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
    covered = len(index.vectors.all_ids())
    if covered != rows:
        return Check("chroma", "fail", f"vectors for {covered} of {rows} chunks: `notesbot ingest`")
    count = index.vectors.count()
    return Check("chroma", "ok", f"{count} sentence vectors of {rows} chunks; one finds itself")


async def embedder_check(index: Index) -> Check:
    vector = await asyncio.to_thread(index.embedder.embed_query, "埋め込みの確認 check")
    return Check("embedder", "ok", f"{index.embedder.name}: {len(vector)} dimensions")


async def llm_check(
    chat: ChatModel | None, *, model: str | None, url: str | None, configured: int | None = None
) -> Check:
    if chat is None:
        return Check("llm", "skip", "not configured: answers are extractive")
    try:
        models = await chat.list_models()  # type: ignore[attr-defined]
        budget = await model_budget(chat, configured)
    finally:
        await chat.aclose()
    if model and model not in models:
        return Check("llm", "fail", f"model {model} not served (has: {', '.join(models)})")
    served = ", ".join(models[:5])
    return Check("llm", "ok", f"{host_of(url)} serves {served}; answers read {budget.describe()}")


async def slack_check(client: Any, *, mode: str) -> Check:
    """``client``: slack_sdk's AsyncWebClient, or None when Slack is not configured."""
    if client is None:
        return Check("slack", "skip", "not configured")
    from slack_sdk.errors import SlackApiError

    from bot.platforms.dialects.slack_text import slack_error

    try:
        auth = await client.auth_test()
    except SlackApiError as exc:
        return Check("slack", "fail", f"auth.test: {slack_error(exc)}")
    return Check("slack", "ok", f"{auth.get('team')} as {auth.get('user')} ({mode})")


async def telegram_check(bot: Any, *, mode: str) -> Check:
    """``bot``: PTB's Bot, or None when Telegram is not configured."""
    if bot is None:
        return Check("telegram", "skip", "not configured")
    from telegram.error import TelegramError

    try:
        async with bot:
            me = await bot.get_me()
    except TelegramError as exc:
        return Check("telegram", "fail", f"getMe: {exc.__class__.__name__}: {exc.message}")
    return Check("telegram", "ok", f"@{me.username} ({mode})")


async def arxiv_check(client: Any, *, url: str) -> Check:
    """``client``: the ArxivClient, or None while no categories are set (no network then)."""
    if client is None:
        return Check("arxiv", "skip", "not configured (NOTESBOT_ARXIV_CATEGORIES)")
    try:
        newest = await client.newest()
    finally:
        await client.aclose()
    where = f"{host_of(url)} {', '.join(client.categories)}"
    if newest is None:
        return Check("arxiv", "fail", f"{where}: no papers listed")
    return Check("arxiv", "ok", f"{where}: newest {newest.arxiv_id} ({newest.published[:10]})")
