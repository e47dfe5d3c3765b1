"""The arXiv export API (Atom): the newest day's submissions in the configured categories.

httpx (async) + feedparser + tenacity rather than the ``arxiv`` package: that one is synchronous
(requests), has no per-request timeout and does not honour Retry-After; feedparser is the
well-kept Atom parser and is tolerant of arXiv's extra namespaces.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import feedparser  # type: ignore[import-untyped]
import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt

from bot.core.arxiv.submissions import Submission

log = logging.getLogger(__name__)

_HEADERS = {"User-Agent": "notesbot/0.1 (daily arXiv digest over a researcher's paper notes)"}
_RETRIED = frozenset({429, 500, 502, 503, 504})
_VERSION = re.compile(r"v\d+$")
Entry = tuple[Submission, datetime]


class ArxivError(Exception):
    """The listing could not be fetched or read: one line naming what failed, host only."""


class _Transient(Exception):  # worth another attempt: a 429 or 5xx, a timeout, a reset
    def __init__(self, reason: str, retry_after: float | None = None, *, timed_out: bool = False):
        super().__init__(reason)
        self.retry_after, self.timed_out = retry_after, timed_out


class ArxivClient:
    def __init__(
        self, *, base_url: str, categories: Sequence[str], interval: float = 3.0,
        timeout: float = 20.0, page_size: int = 100, max_pages: int = 10, attempts: int = 3,
        max_retry_after: float = 60.0, http: httpx.AsyncClient | None = None,
    ) -> None:
        self.categories: tuple[str, ...] = tuple(categories)
        self._base_url = _query_url(base_url)
        self._where = f"arXiv API at {httpx.URL(base_url).host}"
        self._interval, self._timeout = interval, timeout
        self._page_size, self._max_pages = page_size, max_pages
        self._attempts, self._max_retry_after = max(1, attempts), max_retry_after
        self._owns_http = http is None
        self._http = http or httpx.AsyncClient(follow_redirects=True)
        self._lock = asyncio.Lock()  # concurrent callers still keep the interval between them
        self._last = float("-inf")  # time.monotonic() when the previous request ended

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> ArxivClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def recent(self) -> list[Submission]:
        """arXiv's newest batch: every entry within 24 h of the newest one, newest first."""
        if not self.categories:
            return []
        found: dict[str, Entry] = {}
        cutoff: datetime | None = None
        for number in range(self._max_pages):
            entries, count = await self._page(number)
            if not entries:
                break
            if cutoff is None:  # the newest entry is on the first page (sorted by date)
                cutoff = max(when for _, when in entries) - timedelta(hours=24)
            before = len(found)
            for submission, when in entries:
                if when >= cutoff:
                    found.setdefault(submission.arxiv_id, (submission, when))
            if count < self._page_size or min(when for _, when in entries) < cutoff:
                break
            if len(found) == before:  # a server that ignores "start" repeats its first page
                break
        return [s for s, _ in sorted(found.values(), key=lambda e: e[1], reverse=True)]

    async def newest(self) -> Submission | None:
        """The newest submission in the categories: one small request (what doctor checks)."""
        entries, _ = await self._page(0, size=1)
        return entries[0][0] if entries else None

    async def paper(self, arxiv_id: str) -> Submission | None:
        """One paper by its id, in any category; None when arXiv has no such paper."""
        entries, _ = await self._entries({"id_list": arxiv_id, "max_results": "1"}, "a paper")
        return entries[0][0] if entries else None

    async def _page(self, number: int, size: int | None = None) -> tuple[list[Entry], int]:
        """One page's parsed entries, and how many entries it had (short page: the last)."""
        size = size or self._page_size
        query = " OR ".join(f"cat:{c}" for c in self.categories)
        params = {"search_query": query, "sortBy": "submittedDate", "sortOrder": "descending",
                  "start": str(number * size), "max_results": str(size)}
        return await self._entries(params, f"page {number + 1}")

    async def _entries(self, params: dict[str, str], what: str) -> tuple[list[Entry], int]:
        feed = feedparser.parse(await self._get(params))
        if problem := _malformed(feed):
            raise ArxivError(f"{self._where} returned malformed XML on {what}: {problem}")
        for entry in feed.entries:  # arXiv reports a bad query as a feed of one "Error" entry
            if "/api/errors" in str(entry.get("id", "")):
                raise ArxivError(f"{self._where} reported: {_collapse(entry.get('summary', ''))}")
        parsed = [e for e in map(_entry, feed.entries) if e is not None]
        if skipped := len(feed.entries) - len(parsed):
            log.warning("%s: skipped %d entries without id or date", self._where, skipped)
        return parsed, len(feed.entries)

    async def _get(self, params: dict[str, str]) -> bytes:
        retrying = AsyncRetrying(retry=retry_if_exception_type(_Transient), wait=self._wait,
                                 stop=stop_after_attempt(self._attempts),
                                 before_sleep=self._log_retry, reraise=True)
        try:
            body: bytes = await retrying(self._once, params)
        except _Transient as exc:  # "timed out after 20 s (3 attempts)", "503 ... after 3 attempts"
            tries = f"{self._attempts} attempts"
            raise ArxivError(f"{self._where}: {exc} "
                             + (f"({tries})" if exc.timed_out else f"after {tries}")) from exc
        return body

    async def _once(self, params: dict[str, str]) -> bytes:
        async with self._lock:
            await self._pace()
            try:
                async with asyncio.timeout(self._timeout):  # the whole request, body included
                    response = await self._http.get(self._base_url, params=params,
                                                    timeout=self._timeout, headers=_HEADERS)
            except (TimeoutError, httpx.TimeoutException) as exc:
                raise _Transient(f"timed out after {self._timeout:g} s", timed_out=True) from exc
            except httpx.TransportError as exc:
                raise _Transient(f"connection failed ({type(exc).__name__})") from exc
            finally:
                self._last = time.monotonic()
        if response.is_success:
            return response.content
        reason = f"{response.status_code} {response.reason_phrase}".strip()
        if response.status_code in _RETRIED:
            raise _Transient(reason, _retry_after(response.headers.get("Retry-After")))
        raise ArxivError(f"{self._where}: {reason}")

    async def _pace(self) -> None:
        """arXiv's rule: at least ``interval`` seconds between requests, pages and retries too."""
        delay = self._last + self._interval - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        asked = exc.retry_after if isinstance(exc, _Transient) and exc.retry_after else 0.0
        return max(self._interval, min(asked, self._max_retry_after))

    def _log_retry(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        log.warning("%s: %s; attempt %d of %d in %.1f s", self._where, exc,
                    state.attempt_number + 1, self._attempts, state.upcoming_sleep)


def _entry(entry: Any) -> Entry | None:
    """A feed entry as a Submission and its first version's time; None without id or date."""
    arxiv_id = _VERSION.sub("", str(entry.get("id", "")).partition("/abs/")[2].strip())
    published = str(entry.get("published", ""))
    try:
        when = datetime.fromisoformat(published)
    except ValueError:
        return None
    primary = (entry.get("arxiv_primary_category") or {}).get("term")
    terms = [primary, *(tag.get("term") for tag in entry.get("tags", []))]
    authors = (_collapse(a.get("name", "")) for a in entry.get("authors", []))
    submission = Submission(
        arxiv_id, _collapse(entry.get("title", "")), _collapse(entry.get("summary", "")),
        tuple(a for a in authors if a),
        tuple(dict.fromkeys(t for t in terms if t)),  # the primary category first, no repeats
        published,
    )
    return (submission, when if when.tzinfo else when.replace(tzinfo=UTC)) if arxiv_id else None


def _malformed(feed: Any) -> str:
    """Why the parsed response is no usable Atom feed, or "" when it is one."""
    error = feed.get("bozo_exception")
    # A cut-off body still yields its first entries: only feedparser's harmless notes (a charset
    # or content-type mismatch) are let through, and only when entries came out.
    harmless = isinstance(error, feedparser.ThingsNobodyCaresAboutButMe)
    if feed.get("bozo") and (not feed.entries or not harmless):
        return _collapse(error)[:120] or type(error).__name__
    return "" if str(feed.get("version", "")).startswith("atom") else "not an Atom feed"


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: either a number or an HTTP date."""
    with contextlib.suppress(ValueError):
        return max(0.0, float(value or ""))
    with contextlib.suppress(TypeError, ValueError):
        when = parsedate_to_datetime(value or "")
        wait = when.replace(tzinfo=when.tzinfo or UTC) - datetime.now(UTC)
        return max(0.0, wait.total_seconds())
    return None


def _query_url(base_url: str) -> str:
    """The export API's query URL: a bare host ("http://mirror:8080") gets arXiv's path."""
    url = httpx.URL(base_url)
    return str(url.copy_with(path="/api/query")) if url.path in ("", "/") else base_url


def _collapse(text: object) -> str:
    return " ".join(str(text).split())
