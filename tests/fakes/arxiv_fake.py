"""A fake arXiv export API (``/api/query``): real Atom XML from the entries a test sets.

It honours ``search_query`` (``cat:X OR cat:Y``), ``start`` and ``max_results``, newest first,
and ``id_list`` (papers by id).
Faults are scripted for the next requests, in order: ``server.script(Fault.unavailable(0.1),
Fault.slow(2.0), Fault.malformed())``; with the script empty the listing is served. Every
request is recorded (path, query params, monotonic time): ``server.count``, ``server.gaps()``.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from aiohttp import web

from tests.fakes.base import ThreadedServer

ATOM = "application/atom+xml; charset=utf-8"


@dataclass(frozen=True)
class FakeEntry:
    arxiv_id: str  # with its version, as arXiv shows it: "2503.09419v2", "hep-th/9901001v1"
    title: str
    published: str  # "2025-03-12T17:59:58Z"
    summary: str = "An abstract."
    authors: tuple[str, ...] = ("A. Author",)
    categories: tuple[str, ...] = ("cs.CL",)  # the first is the primary one
    updated: str = ""


@dataclass(frozen=True)
class Fault:
    kind: str  # ok | status | slow | malformed | not_atom
    status: int = 503
    retry_after: float | None = None
    seconds: float = 0.0

    @classmethod
    def ok(cls) -> Fault:
        """No fault: the listing as usual (to fault a later page)."""
        return cls("ok")

    @classmethod
    def unavailable(cls, retry_after: float | None = None) -> Fault:
        return cls("status", 503, retry_after)

    @classmethod
    def http(cls, status: int) -> Fault:
        return cls("status", status)

    @classmethod
    def slow(cls, seconds: float = 5.0) -> Fault:
        """Answers only after ``seconds``: longer than the client's timeout."""
        return cls("slow", seconds=seconds)

    @classmethod
    def malformed(cls) -> Fault:
        """A cut-off Atom body (its first entry comes out, then the XML breaks)."""
        return cls("malformed")

    @classmethod
    def not_atom(cls) -> Fault:
        """A 200 with an HTML page, as a proxy or a maintenance page would answer."""
        return cls("not_atom")


@dataclass
class Recorded:
    path: str
    params: dict[str, str]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)


class FakeArxiv:
    def __init__(self) -> None:
        self.entries: list[FakeEntry] = []
        self.requests: list[Recorded] = []
        self._script: list[Fault] = []
        self.ignore_start = False  # a server (or mirror) that always serves the first page
        self._lock = threading.Lock()
        app = web.Application()
        app.router.add_get("/api/query", self._query)
        self._server = ThreadedServer(app)

    @property
    def base_url(self) -> str:
        return f"{self._server.url}/api/query"

    def start(self) -> FakeArxiv:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    def script(self, *faults: Fault) -> None:
        """What the next requests get, in order, before the listing is served again."""
        with self._lock:
            self._script.extend(faults)

    @property
    def count(self) -> int:
        with self._lock:
            return len(self.requests)

    def gaps(self) -> list[float]:
        """Seconds between the arrivals of consecutive requests."""
        with self._lock:
            times = [r.at for r in self.requests]
        return [later - earlier for earlier, later in itertools.pairwise(times)]

    async def _query(self, request: web.Request) -> web.StreamResponse:
        with self._lock:
            self.requests.append(Recorded(request.path, dict(request.query), dict(request.headers)))
            fault = self._script.pop(0) if self._script else None
        if fault is not None and fault.kind == "status":
            headers = {"Retry-After": f"{fault.retry_after:g}"} if fault.retry_after else {}
            return web.Response(status=fault.status, text="busy", headers=headers)
        if fault is not None and fault.kind == "slow":
            await asyncio.sleep(fault.seconds)
        if fault is not None and fault.kind == "malformed":
            return web.Response(text=atom_feed([], total=0, start=0, size=0)[:-9]
                                + "<entry><title>cut off", content_type="text/xml")
        if fault is not None and fault.kind == "not_atom":
            return web.Response(text="<html><body>Down for maintenance</body></html>",
                                content_type="text/html")
        return web.Response(body=self._feed(request.query).encode(), headers={"Content-Type": ATOM})

    def _feed(self, query: Mapping[str, str]) -> str:
        if ids := [i for i in str(query.get("id_list", "")).split(",") if i]:  # as arXiv: by id
            with self._lock:
                found = [e for e in self.entries if re.sub(r"v\d+$", "", e.arxiv_id) in ids]
            return atom_feed(found, total=len(found), start=0, size=len(found))
        wanted = set(re.findall(r"cat:([\w.\-]+)", str(query.get("search_query", ""))))
        start, size = int(query.get("start", 0)), int(query.get("max_results", 10))
        start = 0 if self.ignore_start else start
        with self._lock:
            chosen = [e for e in self.entries if not wanted or wanted & set(e.categories)]
        chosen.sort(key=lambda e: e.published, reverse=True)
        page = chosen[start : start + size]
        return atom_feed(page, total=len(chosen), start=start, size=size)


def atom_feed(entries: list[FakeEntry], *, total: int, start: int, size: int) -> str:
    body = "".join(_entry(e) for e in entries)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom">\n'
        '  <link href="http://arxiv.org/api/query" rel="self" type="application/atom+xml"/>\n'
        "  <title type=\"html\">ArXiv Query: fake</title>\n"
        "  <id>http://arxiv.org/api/fake</id>\n"
        "  <updated>2025-03-13T00:00:00-04:00</updated>\n"
        f"  <opensearch:totalResults>{total}</opensearch:totalResults>\n"
        f"  <opensearch:startIndex>{start}</opensearch:startIndex>\n"
        f"  <opensearch:itemsPerPage>{size}</opensearch:itemsPerPage>\n"
        f"{body}</feed>\n"
    )


def _entry(entry: FakeEntry) -> str:
    authors = "".join(f"    <author><name>{escape(a)}</name></author>\n" for a in entry.authors)
    tags = "".join(
        f'    <category term={quoteattr(c)} scheme="http://arxiv.org/schemas/atom"/>\n'
        for c in entry.categories
    )
    primary = entry.categories[0] if entry.categories else "cs.CL"
    link = f"http://arxiv.org/abs/{entry.arxiv_id}"
    return (
        "  <entry>\n"
        f"    <id>{escape(link)}</id>\n"
        f"    <updated>{entry.updated or entry.published}</updated>\n"
        f"    <published>{entry.published}</published>\n"
        f"    <title>{escape(entry.title)}</title>\n"
        f"    <summary>{escape(entry.summary)}</summary>\n"
        f"{authors}"
        f"    <arxiv:primary_category term={quoteattr(primary)} "
        'scheme="http://arxiv.org/schemas/atom"/>\n'
        f"{tags}"
        f'    <link href={quoteattr(link)} rel="alternate" type="text/html"/>\n'
        f'    <link title="pdf" href={quoteattr(link.replace("/abs/", "/pdf/"))} rel="related"'
        ' type="application/pdf"/>\n'
        "  </entry>\n"
    )
