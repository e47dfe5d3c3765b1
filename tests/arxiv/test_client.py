"""The arXiv listing client and its cache, through the real client against a fake export API."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.arxiv import ArxivClient, ArxivError, ListingCache, todays_listing
from bot.core.arxiv.submissions import Submission
from tests.fakes.arxiv_fake import FakeArxiv, FakeEntry, Fault

NEWEST = datetime(2025, 3, 12, 18, 0, tzinfo=UTC)
INTERVAL = 0.05


def hours_before(hours: float) -> str:
    return (NEWEST - timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def paper(n: int, hours: float, *, categories: tuple[str, ...] = ("cs.CL",)) -> FakeEntry:
    return FakeEntry(f"2503.{n:05d}v1", f"Paper {n}", hours_before(hours), categories=categories)


@pytest.fixture
def arxiv() -> Iterator[FakeArxiv]:
    server = FakeArxiv().start()
    yield server
    server.stop()


def client_for(server: FakeArxiv, **options: Any) -> ArxivClient:
    settings: dict[str, Any] = {"base_url": server.base_url, "categories": ["cs.CL"],
                                "interval": INTERVAL, "timeout": 0.3}
    return ArxivClient(**{**settings, **options})


async def test_parses_ids_titles_authors_and_categories(arxiv: FakeArxiv) -> None:
    arxiv.entries = [
        FakeEntry("hep-th/9901001v1", "An old-style\n  id", hours_before(3),
                  authors=("E. Witten",), categories=("hep-th",)),
        FakeEntry("2503.09419v2", "Attention   Is\n   All You Need,\n  Again", hours_before(0),
                  summary="  We show that\n  x < y & z.\n", authors=("Ann Lee", "Bob  Smith"),
                  categories=("cs.CL", "cs.LG", "cs.CL")),
        FakeEntry("2503.00001v1", "Not asked for", hours_before(1), categories=("math.AG",)),
    ]
    async with client_for(arxiv, categories=["cs.CL", "hep-th"]) as client:
        listing = await client.recent()
    assert listing == [
        Submission("2503.09419", "Attention Is All You Need, Again", "We show that x < y & z.",
                   ("Ann Lee", "Bob Smith"), ("cs.CL", "cs.LG"), "2025-03-12T18:00:00Z"),
        Submission("hep-th/9901001", "An old-style id", "An abstract.", ("E. Witten",),
                   ("hep-th",), "2025-03-12T15:00:00Z"),
    ]
    assert "notesbot" in arxiv.requests[0].headers["User-Agent"]


async def test_pages_through_three_pages_keeping_the_interval(arxiv: FakeArxiv) -> None:
    arxiv.entries = [paper(n, hours=n) for n in range(7)]
    arxiv.entries.append(arxiv.entries[4])  # arXiv repeats a paper across pages at times
    async with client_for(arxiv, categories=["cs.CL", "cs.LG"], page_size=3) as client:
        listing = await client.recent()
    assert [s.arxiv_id for s in listing] == [f"2503.{n:05d}" for n in range(7)]
    assert [r.params for r in arxiv.requests] == [
        {"search_query": "cat:cs.CL OR cat:cs.LG", "sortBy": "submittedDate",
         "sortOrder": "descending", "start": str(start), "max_results": "3"}
        for start in (0, 3, 6)
    ]
    assert {r.path for r in arxiv.requests} == {"/api/query"}
    assert all(gap >= INTERVAL for gap in arxiv.gaps()), arxiv.gaps()


async def test_the_24_hour_cutoff_stops_paging(arxiv: FakeArxiv) -> None:
    hours = [0, 1, 2, 23, 24, 25, 30, 40, 50, 60]
    arxiv.entries = [paper(n, hours=h) for n, h in enumerate(hours)]
    async with client_for(arxiv, page_size=2) as client:
        listing = await client.recent()
    assert [s.arxiv_id for s in listing] == [f"2503.{n:05d}" for n in range(5)]
    assert arxiv.count == 3  # the third page had an entry past the cutoff: no fourth


async def test_a_server_that_ignores_start_is_asked_twice_not_ten_times(arxiv: FakeArxiv) -> None:
    arxiv.entries = [paper(n, hours=n / 10) for n in range(5)]
    arxiv.ignore_start = True
    async with client_for(arxiv, page_size=2) as client:
        listing = await client.recent()
    assert [s.arxiv_id for s in listing] == ["2503.00000", "2503.00001"]
    assert arxiv.count == 2  # the second page brought nothing new


async def test_a_bare_host_as_base_url_gets_the_api_path(arxiv: FakeArxiv) -> None:
    arxiv.entries = [paper(1, hours=0)]
    root = arxiv.base_url.removesuffix("/api/query")
    async with client_for(arxiv, base_url=root) as client:
        assert len(await client.recent()) == 1
    assert [r.path for r in arxiv.requests] == ["/api/query"]


async def test_max_pages_bounds_the_requests(arxiv: FakeArxiv) -> None:
    arxiv.entries = [paper(n, hours=n / 10) for n in range(5)]
    async with client_for(arxiv, page_size=1, max_pages=2) as client:
        assert len(await client.recent()) == 2
    assert arxiv.count == 2


async def test_503_with_retry_after_is_retried(arxiv: FakeArxiv, caplog: Any) -> None:
    arxiv.entries = [paper(1, hours=0)]
    arxiv.script(Fault.unavailable(retry_after=0.2))
    with caplog.at_level(logging.WARNING, logger="bot.arxiv.client"):
        async with client_for(arxiv) as client:
            listing = await client.recent()
    assert [s.arxiv_id for s in listing] == ["2503.00001"]
    assert arxiv.count == 2
    assert arxiv.gaps()[0] >= 0.2
    assert "503 Service Unavailable" in caplog.text


async def test_retry_after_is_capped(arxiv: FakeArxiv) -> None:
    arxiv.entries = [paper(1, hours=0)]
    arxiv.script(Fault.unavailable(retry_after=30))
    async with client_for(arxiv, max_retry_after=0.1) as client:
        assert len(await client.recent()) == 1
    assert INTERVAL <= arxiv.gaps()[0] < 1.0


async def test_503_forever_fails_with_a_clear_message(arxiv: FakeArxiv) -> None:
    arxiv.script(*[Fault.unavailable(retry_after=0.01)] * 3)
    async with client_for(arxiv) as client:
        with pytest.raises(ArxivError) as failure:
            await client.recent()
    assert str(failure.value) == (
        "arXiv API at 127.0.0.1: 503 Service Unavailable after 3 attempts"
    )
    assert arxiv.count == 3
    assert all(gap >= INTERVAL for gap in arxiv.gaps())


async def test_other_4xx_is_not_retried(arxiv: FakeArxiv) -> None:
    arxiv.script(Fault.http(404))
    async with client_for(arxiv) as client:
        with pytest.raises(ArxivError, match=r"^arXiv API at 127\.0\.0\.1: 404 Not Found$"):
            await client.recent()
    assert arxiv.count == 1


async def test_a_slow_server_times_out(arxiv: FakeArxiv) -> None:
    arxiv.script(*[Fault.slow(2.0)] * 2)
    async with client_for(arxiv, attempts=2) as client:
        with pytest.raises(ArxivError) as failure:
            await client.recent()
    assert str(failure.value) == "arXiv API at 127.0.0.1: timed out after 0.3 s (2 attempts)"
    assert arxiv.count == 2


async def test_one_timeout_then_success(arxiv: FakeArxiv) -> None:
    arxiv.entries = [paper(1, hours=0)]
    arxiv.script(Fault.slow(2.0))
    async with client_for(arxiv) as client:
        assert len(await client.recent()) == 1
    assert arxiv.count == 2


async def test_a_refused_connection_fails_after_the_attempts() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/api/query"
    async with ArxivClient(base_url=url, categories=["cs.CL"], interval=0.01) as client:
        with pytest.raises(ArxivError, match=r"connection failed .* after 3 attempts"):
            await client.recent()


@pytest.mark.parametrize(
    ("fault", "reason"), [(Fault.malformed(), "<unknown>:"), (Fault.not_atom(), "not an Atom")]
)
async def test_malformed_xml_fails_without_retry(
    arxiv: FakeArxiv, fault: Fault, reason: str
) -> None:
    arxiv.entries = [paper(1, hours=0)]
    arxiv.script(fault)
    async with client_for(arxiv) as client:
        with pytest.raises(ArxivError) as failure:
            await client.recent()
    assert str(failure.value).startswith(
        f"arXiv API at 127.0.0.1 returned malformed XML on page 1: {reason}"
    )
    assert arxiv.count == 1


async def test_malformed_xml_on_a_later_page_names_it(arxiv: FakeArxiv) -> None:
    arxiv.entries = [paper(n, hours=n) for n in range(4)]
    arxiv.script(Fault.ok(), Fault.malformed())
    async with client_for(arxiv, page_size=2) as client:
        with pytest.raises(ArxivError, match="malformed XML on page 2"):
            await client.recent()


async def test_no_categories_no_request(arxiv: FakeArxiv) -> None:
    async with client_for(arxiv, categories=[]) as client:
        assert await client.recent() == []
    assert arxiv.count == 0


async def test_todays_listing_is_fetched_once_even_across_restarts(
    arxiv: FakeArxiv, tmp_path: Path
) -> None:
    arxiv.entries = [paper(1, hours=0), paper(2, hours=5)]
    cache = ListingCache(tmp_path)
    async with client_for(arxiv) as client:
        first = await todays_listing(client, cache, "2025-03-13")
        assert await todays_listing(client, cache, "2025-03-13") == first
    async with client_for(arxiv) as restarted:
        assert await todays_listing(restarted, ListingCache(tmp_path), "2025-03-13") == first
    assert len(first) == 2
    assert arxiv.count == 1


async def test_failures_and_empty_listings_are_not_cached(
    arxiv: FakeArxiv, tmp_path: Path
) -> None:
    cache = ListingCache(tmp_path)
    arxiv.script(*[Fault.unavailable()] * 3)
    async with client_for(arxiv, attempts=3) as client:
        with pytest.raises(ArxivError):
            await todays_listing(client, cache, "2025-03-13")
        assert cache.get("2025-03-13", ["cs.CL"]) is None
        assert await todays_listing(client, cache, "2025-03-13") == []
        assert cache.get("2025-03-13", ["cs.CL"]) is None


def submission(arxiv_id: str, title: str) -> Submission:
    return Submission(arxiv_id, title, "Abstract.", ("A. Author",), ("cs.CL",), hours_before(0))


def test_cache_find_looks_in_the_newest_listing_first(tmp_path: Path) -> None:
    cache = ListingCache(tmp_path)
    cache.put("2025-03-10", ["cs.CL"], [submission("2503.00001", "old title")])
    cache.put("2025-03-12", ["cs.LG", "cs.CL"], [submission("2503.00001", "new title")])
    cache.put("2025-03-11", ["cs.CL"], [submission("hep-th/9901001", "old style")])
    assert cache.get("2025-03-12", ["cs.CL", "cs.LG"]) == [submission("2503.00001", "new title")]
    assert cache.find("2503.00001v3") == submission("2503.00001", "new title")
    assert cache.find("hep-th/9901001") == submission("hep-th/9901001", "old style")
    assert cache.find("2503.99999") is None
    assert not list(tmp_path.glob("*.tmp"))


def test_cache_prune_keeps_the_last_days(tmp_path: Path) -> None:
    cache = ListingCache(tmp_path)
    for day in ("2025-02-01", "2025-02-26", "2025-02-27", "2025-03-12"):
        cache.put(day, ["cs.CL"], [submission("2503.00001", day)])
    assert cache.prune(keep_days=14) == 2
    assert sorted(p.name[:10] for p in tmp_path.glob("*.json")) == ["2025-02-27", "2025-03-12"]


def test_cache_ignores_a_corrupt_file(tmp_path: Path) -> None:
    cache = ListingCache(tmp_path)
    cache.path("2025-03-12", ["cs.CL"]).write_text("[{not json", encoding="utf-8")
    assert cache.get("2025-03-12", ["cs.CL"]) is None
    assert cache.find("2503.00001") is None
