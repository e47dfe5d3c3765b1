"""A paper in at most 140 characters: the note's ready tweet, else the model, else extracted.

Every path ends in ``len(text) <= limit``: a model draft that is too long or uses numbers the
notes don't contain is sent back with feedback (a few tries), then the extractive shortening
of the note's own words takes over.
"""

from __future__ import annotations

import asyncio
import difflib
import logging
from collections.abc import Sequence

from bot.core.answers import Lang, Summary, SummaryOrigin
from bot.core.errors import LLMError
from bot.core.llm import ChatModel
from bot.core.models import Chunk, Paper
from bot.core.phrases import phrase
from bot.core.prompts import PromptBook
from bot.core.retrieval import NotesIndex
from bot.core.shorten import shorten, tidy
from bot.core.text import arxiv_id, numbers_in, title_key

log = logging.getLogger(__name__)
LIMIT = 140
_NOTES_CHARS = 4_000  # of the paper's passages in the prompt
_FUZZY = 0.75
# Naming one paper by search needs most of the words to match, not just some ("今日" alone
# occurs in a note; "今日の天気" scores 0.45, "Chinchilla のスケーリング則" 0.63).
_SEARCH_RELEVANCE = 0.6


def find_paper(query: str, papers: Sequence[Paper]) -> Paper | None:
    """By arXiv id, exact title or short name, then the closest title (or None)."""
    wanted_id = arxiv_id(query)
    if wanted_id:
        return next((p for p in papers if p.arxiv_id == wanted_id), None)
    key = title_key(query)
    if not key:
        return None
    for paper in papers:
        if key in {title_key(alias) for alias in _names(paper)}:
            return paper
    scored = [
        (max(_similarity(key, title_key(alias)) for alias in _names(paper)), paper)
        for paper in papers
    ]
    score, best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
    return best if score >= _FUZZY else None


def _names(paper: Paper) -> list[str]:
    names = [paper.title, *paper.aliases]
    return names + [name.split(":", 1)[0] for name in names if ":" in name]


def _similarity(query: str, title: str) -> float:
    if len(query) >= 4 and f" {query} " in f" {title} ":
        return 0.9  # the query is a run of whole words of the title
    return difflib.SequenceMatcher(None, query, title).ratio()


class Summarizer:
    def __init__(
        self,
        *,
        notes: NotesIndex,
        prompts: PromptBook,
        chat: ChatModel | None = None,
        language: Lang = "ja",
        tries: int = 3,
        budget: float = 30.0,
    ) -> None:
        self._notes = notes
        self._prompts = prompts
        self._chat = chat
        self._language = language
        self._tries = tries
        self._budget = budget

    async def summarize(self, query: str) -> Summary | None:
        """The summary of the paper ``query`` names (title, arXiv id or words); None if none."""
        paper = await self.find(query)
        return None if paper is None else await self.summarize_paper(paper)

    async def find(self, query: str) -> Paper | None:
        papers = await self._notes.papers()
        paper = find_paper(query, papers)
        if paper is not None or not query.strip():
            return paper
        for hit in await self._notes.search(query, 5):
            if hit.chunk.paper and hit.relevance >= _SEARCH_RELEVANCE:
                return find_paper(hit.chunk.paper, papers)
        return None

    async def summarize_paper(self, paper: Paper) -> Summary:
        tweet = tidy(paper.tweet or "")
        if tweet and len(tweet) <= LIMIT:
            return self._summary(paper, tweet, "tweet")
        passages = await self._notes.paper_passages(paper.aliases or [paper.title])
        if self._chat is not None:
            drafted = await self._draft(paper, passages)
            if drafted:
                return self._summary(paper, drafted, "llm")
        source = tweet or paper.summary or (passages[0].body if passages else paper.title)
        return self._summary(paper, shorten(source, LIMIT), "extractive")

    async def _draft(self, paper: Paper, passages: list[Chunk]) -> str | None:
        """A model draft that passes the checks, or None after ``tries`` attempts."""
        assert self._chat is not None
        full = _notes_text(paper, passages)
        allowed = numbers_in(full)  # checked against everything the notes say about it
        notes = full[:_NOTES_CHARS]
        feedback = ""
        for attempt in range(1, self._tries + 1):
            messages = self._prompts.messages(
                "summary140", self._language, title=paper.title, notes=notes, feedback=feedback
            )
            try:
                async with asyncio.timeout(self._budget):
                    draft = _unquote(tidy(await self._chat.complete(messages, max_tokens=300)))
            except (LLMError, TimeoutError) as exc:
                log.warning("summary of %r: model failed (%s)", paper.title, exc or "timeout")
                return None
            unknown = sorted(numbers_in(draft) - allowed)
            if draft and len(draft) <= LIMIT and not unknown:
                return draft
            log.info("summary draft %d: %d chars, unknown numbers %s", attempt, len(draft), unknown)
            feedback = self._feedback(draft, unknown)
        return None

    def _feedback(self, draft: str, unknown: list[str]) -> str:
        if unknown:
            return "\n" + phrase("summary_bad_numbers", self._language, numbers=", ".join(unknown))
        return "\n" + phrase("summary_too_long", self._language, length=len(draft))

    @staticmethod
    def _summary(paper: Paper, text: str, origin: SummaryOrigin) -> Summary:
        assert len(text) <= LIMIT, (len(text), text)
        return Summary(paper.title, paper.url, text, paper.sources[0], origin)


def _notes_text(paper: Paper, passages: list[Chunk]) -> str:
    parts = [part for part in (paper.tweet, paper.summary) if part]
    parts += [chunk.body for chunk in passages]
    return "\n\n".join(parts)


def _unquote(text: str) -> str:
    pairs = ('""', "「」", "『』", "“”", "''")
    while len(text) >= 2 and any(text[0] == a and text[-1] == b for a, b in pairs):
        text = text[1:-1].strip()
    return text
