"""The day's arXiv listing on disk, a JSON file per day and category set: a restart never
refetches a day it has, and "save as note" on a digest's paper finds the paper here."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from bot.arxiv.client import ArxivClient
from bot.core.arxiv.submissions import Submission

log = logging.getLogger(__name__)
_UNSAFE = re.compile(r"[^A-Za-z0-9.+-]")


class ListingCache:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, day: str, categories: Iterable[str]) -> Path:
        date.fromisoformat(day)  # ValueError unless YYYY-MM-DD: the day becomes a file name
        slug = _UNSAFE.sub("_", "+".join(sorted(set(categories)))) or "none"
        if len(slug) > 80:  # many categories: a short, stable name instead
            slug = hashlib.sha256(slug.encode()).hexdigest()[:16]
        return self.root / f"{day}_{slug}.json"

    def get(self, day: str, categories: Iterable[str]) -> list[Submission] | None:
        return _read(self.path(day, categories))

    def put(self, day: str, categories: Iterable[str], submissions: Sequence[Submission]) -> None:
        path = self.path(day, categories)
        self.root.mkdir(parents=True, exist_ok=True)
        # temp file + os.replace: a crash mid-write never leaves half a listing behind
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".listing-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                json.dump([s.to_json() for s in submissions], file, ensure_ascii=False)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)  # still there only when the write failed

    def find(self, arxiv_id: str) -> Submission | None:
        """The paper from the newest listing that has it (any version of the id)."""
        wanted = re.sub(r"v\d+$", "", arxiv_id.strip())
        for _, path in self._files():
            for submission in _read(path) or ():
                if submission.arxiv_id == wanted:
                    return submission
        return None

    def prune(self, keep_days: int = 14) -> int:
        """Drop listings ``keep_days`` or more before the newest one; returns how many. Counted
        from the newest listing, not the clock: a bot paused for a month keeps its last ones."""
        files = self._files()
        old = [path for day, path in files if (files[0][0] - day).days >= keep_days]
        for path in old:
            path.unlink(missing_ok=True)
        return len(old)

    def _files(self) -> list[tuple[date, Path]]:
        """The listing files and their days, newest first."""
        found = [(_day(p.name), p) for p in self.root.glob("*_*.json")]
        return sorted(((day, p) for day, p in found if day), key=lambda f: f[1].name, reverse=True)


async def todays_listing(client: ArxivClient, cache: ListingCache, day: str) -> list[Submission]:
    """The cached listing of ``day``, else arXiv's (then cached). ArxivError propagates."""
    cached = cache.get(day, client.categories)
    if cached is not None:
        return cached
    listing = await client.recent()
    if listing:  # an empty answer is likelier an arXiv hiccup than an empty day: ask again later
        cache.put(day, client.categories, listing)
        if removed := cache.prune():  # "save as note" needs the last two weeks, not more
            log.info("arXiv listing cache: %d old listings removed", removed)
    return listing


def _read(path: Path) -> list[Submission] | None:
    try:
        return [Submission.from_json(row) for row in json.loads(path.read_text(encoding="utf-8"))]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:  # as if absent
        log.warning("arXiv listing cache %s is unreadable (%s): ignored", path.name, exc)
        return None


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(name[:10])
    except ValueError:
        return None
