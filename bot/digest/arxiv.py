"""The digest's arXiv section: the day's listing (fetched once, cached), ranked against the
notes, summarized; and "save as note" for a paper it proposed.

A listing that cannot be fetched (endpoint down, timeout, malformed feed) leaves the section
out of that digest with one log line; the rest of the digest is posted as usual.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

from bot.arxiv.cache import ListingCache, todays_listing
from bot.arxiv.client import ArxivClient, ArxivError
from bot.core.answers import Lang
from bot.core.arxiv.notes import PaperWriter, note_name, note_text, voice
from bot.core.arxiv.rank import Ranker, library
from bot.core.arxiv.submissions import Proposal, Submission
from bot.core.phrases import phrase
from bot.core.retrieval import NotesIndex
from bot.live.inbox import Indexer, saved

log = logging.getLogger(__name__)
_RETRY_SECONDS = 600.0  # after a failed fetch, digests within this time skip the section


class ArxivSection:
    def __init__(
        self, *, client: ArxivClient, cache: ListingCache, notes: NotesIndex, ranker: Ranker,
        writer: PaperWriter, size: int = 5,
    ) -> None:
        self._client, self._cache, self._notes = client, cache, notes
        self._ranker, self._writer, self._size = ranker, writer, size
        self._days: dict[str, list[Proposal]] = {}
        self._failed_at: float | None = None
        self._lock = asyncio.Lock()

    async def ranked(self, day: str) -> list[Proposal]:
        """Every new paper of ``day``'s listing not in the notes, closest first (no summaries).
        Raises ArxivError when the listing cannot be had."""
        listing = await todays_listing(self._client, self._cache, day)
        profiles = await library(self._notes)
        return await asyncio.to_thread(self._ranker.rank, listing, profiles)

    async def for_day(self, day: str) -> list[Proposal]:
        """The section for ``day``: computed once, shared by every target; [] when the
        listing could not be fetched (logged)."""
        async with self._lock:
            if day in self._days:
                return self._days[day]
            if self._failed_at is not None and time.monotonic() - self._failed_at < _RETRY_SECONDS:
                return []
            try:
                top = (await self.ranked(day))[: self._size]
            except Exception as exc:  # never the reason the rest of a digest is not posted
                why = str(exc) if isinstance(exc, ArxivError) else f"{type(exc).__name__}: {exc}"
                log.warning("arXiv section left out of the %s digest: %s", day, why)
                self._failed_at = time.monotonic()
                return []
            self._failed_at = None
            examples = await voice(self._notes)
            self._days = {day: [await self._summarized(p, examples) for p in top]}
            return self._days[day]

    def summary_of(self, arxiv_id: str) -> str | None:
        """The summary a digest showed for this paper (a saved note keeps the same words)."""
        shown = (p for day in self._days.values() for p in day)
        return next((p.summary for p in shown if p.submission.arxiv_id == arxiv_id), None)

    async def _summarized(self, proposal: Proposal, examples: list[str]) -> Proposal:
        summary = await self._writer.summarize(proposal.submission, examples)
        return Proposal(proposal.submission, proposal.score, proposal.near, summary)


class NoteWriter:
    """Save a paper as a new note in ``notes_dir/arxiv/``: never over an existing file, never
    touching the user's own notes. ``save`` takes a paper a digest proposed; ``take`` any paper,
    fetched from arXiv by its id (a link sent alone in a DM)."""

    def __init__(
        self, *, notes_dir: Path, cache: ListingCache, notes: NotesIndex,
        writer: PaperWriter, shown: Callable[[str], str | None] = lambda arxiv_id: None,
        client: ArxivClient | None = None, index: Indexer | None = None, wait: float = 10.0,
    ) -> None:
        self._folder, self._cache, self._notes = notes_dir / "arxiv", cache, notes
        self._writer, self._shown, self._client = writer, shown, client
        self._index, self._wait = index, wait

    async def save(self, arxiv_id: str, lang: Lang) -> str:
        submission = self._cache.find(arxiv_id)
        if submission is None:
            return phrase("arxiv_unknown", lang, id=arxiv_id)
        summary = await self._summary(submission)
        return await self._write(submission, summary, lang)

    async def take(self, arxiv_id: str, lang: Lang) -> str:
        """The paper's 140 characters and link, and where its note went."""
        submission = self._cache.find(arxiv_id)
        if submission is None and self._client is not None:
            try:
                submission = await self._client.paper(arxiv_id)
            except ArxivError as exc:
                log.warning("arXiv %s could not be fetched: %s", arxiv_id, exc)
                return phrase("arxiv_unreachable", lang, reason=str(exc))
        if submission is None:
            return phrase("arxiv_missing", lang, id=arxiv_id)
        summary = await self._summary(submission)
        said = await self._write(submission, summary, lang)
        return f"{submission.title}\n{summary}\n{submission.url}\n\n{said}"

    async def _summary(self, submission: Submission) -> str:
        return self._shown(submission.arxiv_id) or await self._writer.summarize(
            submission, await voice(self._notes)
        )

    async def _write(self, submission: Submission, summary: str, lang: Lang) -> str:
        name = note_name(submission)
        final, draft = self._folder / name, self._folder / f".{name}.tmp"  # .tmp: never ingested
        if final.is_file():  # (checked again, atomically, when written)
            return phrase("arxiv_exists", lang, name=f"arxiv/{name}")
        text = note_text(submission, summary, lang, await self._writer.sections(submission))
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
            draft.write_text(text, encoding="utf-8")
            try:
                os.link(draft, final)  # atomic, and fails rather than overwrite
            finally:
                draft.unlink(missing_ok=True)
        except OSError as exc:
            if isinstance(exc, FileExistsError) and final.is_file():
                return phrase("arxiv_exists", lang, name=f"arxiv/{name}")
            # a read-only or full disk, a file where the folder should be: said in the chat
            log.warning("saving arXiv %s into %s failed: %s", submission.arxiv_id, self._folder,
                        exc)
            return phrase("arxiv_write_failed", lang, reason=exc.strerror or type(exc).__name__)
        log.info("saved arXiv %s as %s", submission.arxiv_id, final)
        return await saved(self._index, f"arxiv/{name}", lang, self._wait)
