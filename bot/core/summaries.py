"""A paper in at most 140 characters: the note's ready tweet, else the model, else extracted.

Every path ends in ``len(text) <= limit``: a model draft that is too long or uses numbers the
notes don't contain is sent back with feedback (a few tries), then the extractive shortening
of the note's own words takes over.
"""

from __future__ import annotations

import asyncio
import difflib
import logging
import re
from collections.abc import Callable, Sequence

from bot.core.answers import Lang, Summary, SummaryOrigin
from bot.core.errors import LLMError
from bot.core.llm import ChatModel
from bot.core.models import Chunk, Paper
from bot.core.phrases import phrase
from bot.core.prompts import PromptBook
from bot.core.retrieval import NotesIndex
from bot.core.shorten import shorten, tidy
from bot.core.text import arxiv_id, is_japanese, numbers_in, short_name, title_key

log = logging.getLogger(__name__)
LIMIT = 140
_NOTES_CHARS = 4_000  # of the paper's passages in the prompt
_FUZZY = 0.75
# Naming one paper by search needs most of the words to match, not just some ("今日" alone
# occurs in a note; "今日の天気" scores 0.45, "Chinchilla のスケーリング則" 0.63).
_SEARCH_RELEVANCE = 0.6
_COMMON_SHARE = 0.02  # a word in more passages than this is no paper's name


def find_paper(
    query: str, papers: Sequence[Paper], *, common: Callable[[str], bool] = lambda w: False
) -> Paper | None:
    """By arXiv id, exact title or short name, a run of whole title words no other paper has
    (one word only if it is not ``common`` in the notes: "Matryoshka" names a paper,
    "Attention" does not), then the closest whole title (typos); or None."""
    wanted_id = arxiv_id(query)
    if wanted_id:
        return next((p for p in papers if p.arxiv_id == wanted_id), None)
    key = title_key(query)
    if not key:
        return None
    exact = " ".join(query.lower().split())  # "PointNet++", not "PointNet"
    for paper in papers:
        if exact in {" ".join(name.lower().split()) for name in _names(paper)}:
            return paper
    for paper in papers:
        if key in {title_key(alias) for alias in _names(paper)}:
            return paper
    runs = [p for p in papers if len(key) >= 4 and any(_is_run(key, n) for n in _names(p))]
    if len(runs) == 1 and (" " in key or not common(key)):
        return runs[0]
    score, best = max(((_closeness(key, p), p) for p in papers), key=lambda pair: pair[0],
                      default=(0.0, None))
    return best if score >= _FUZZY else None


def nearest_papers(query: str, papers: Sequence[Paper], n: int = 3) -> list[Paper]:
    """The papers whose titles are closest to ``query`` (to suggest when none matches)."""
    key = title_key(query)
    return sorted(papers, key=lambda p: _closeness(key, p), reverse=True)[:n] if key else []


def _names(paper: Paper) -> list[str]:
    names = [paper.title, *paper.aliases]
    shorts = [short for name in names if (short := short_name(name))]
    return names + shorts + paper.names + paper.nicknames


def _is_run(key: str, name: str) -> bool:
    return f" {key} " in f" {title_key(name)} "


def _closeness(key: str, paper: Paper) -> float:
    """Similarity of the query to the paper's closest whole name (0..1)."""
    return max(difflib.SequenceMatcher(None, key, title_key(n)).ratio() for n in _names(paper))


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
        tokenize: Callable[[str], list[str]] | None = None,
    ) -> None:
        self._notes = notes
        self._tokenize = tokenize
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
        tokens = self._tokenize(title_key(query)) if self._tokenize else []
        freqs, total = await self._notes.doc_freqs(tokens) if tokens else ({}, 0)

        def common(word: str) -> bool:
            shares = [freqs.get(t, 0) / max(total, 1) for t in tokens]
            return bool(shares) and min(shares) > _COMMON_SHARE

        paper = find_paper(query, papers, common=common)
        if paper is not None or not query.strip() or not is_japanese(query):
            return paper  # a title-like query names a paper by its title, or none
        for hit in await self._notes.search(query, 5):
            # Described in words ("マトリョーシカ表現学習"): most of them must match, and any
            # Latin name in the description must be the paper's.
            if hit.chunk.paper and hit.relevance >= _SEARCH_RELEVANCE:
                found = find_paper(hit.chunk.paper, papers)
                if found is not None and _names_fit(query, hit.chunk.text):
                    return found
        return None

    async def nearest(self, query: str, n: int = 3) -> list[str]:
        return [p.title for p in nearest_papers(query, await self._notes.papers(), n)]

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


def _names_fit(query: str, text: str) -> bool:
    haystack = text.lower()
    return all(word.lower() in haystack for word in re.findall(r"[A-Za-z][\w-]{2,}", query))


def _notes_text(paper: Paper, passages: list[Chunk]) -> str:
    parts = [part for part in (paper.tweet, paper.summary) if part]
    parts += [chunk.body for chunk in passages]
    return "\n\n".join(parts)


def _unquote(text: str) -> str:
    pairs = ('""', "「」", "『』", "“”", "''")
    while len(text) >= 2 and text[0] + text[-1] in pairs:
        text = text[1:-1].strip()
    return text
