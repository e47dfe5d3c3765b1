"""A new arXiv paper in the user's voice: its ≤ 140-character summary, and the deep-dive note
"save as note" writes (the format the notes already use, so the next ingest reads it)."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence

from bot.core.answers import Lang
from bot.core.arxiv import Submission
from bot.core.errors import LLMError
from bot.core.llm import ChatModel
from bot.core.phrases import phrase
from bot.core.prompts import PromptBook
from bot.core.retrieval import NotesIndex
from bot.core.shorten import shorten, tidy
from bot.core.text import numbers_in, sentences

log = logging.getLogger(__name__)
LIMIT = 140
# The sentence of an abstract that says what the paper does.
_CLAIM = re.compile(r"\b(we|this (paper|work|study))\b.*\b(propose|introduce|present|show|"
                    r"develop|find|demonstrate)", re.I)
_TWEET_HEADING = {"ja": "この論文を140字以内のツイートで要約すると？",
                  "en": "This paper in a 140-character tweet"}


async def voice(notes: NotesIndex, n: int = 3) -> list[str]:
    """A few of the notes' own 140-character tweets: how the user writes them."""
    tweets = [p.tweet for p in await notes.papers() if p.tweet and len(p.tweet) <= LIMIT]
    return tweets[:n]


def first_claim(abstract: str) -> str:
    """The abstract's first "we propose / show …" sentence, or its first sentence."""
    found = [s.strip() for s in sentences(" ".join(abstract.split())) if s.strip()]
    return next((s for s in found if _CLAIM.search(s)), found[0] if found else "")


def note_name(submission: Submission) -> str:
    """The file a saved paper becomes: "arxiv-2503.09419.md" (old ids: "/" → "_")."""
    return f"arxiv-{submission.arxiv_id.replace('/', '_')}.md"


def note_text(submission: Submission, summary: str, lang: Lang) -> str:
    """A deep-dive note: title, paper link, the listing's facts, abstract, the 140 characters."""
    facts = [f"- arXiv: {submission.arxiv_id}"]
    if submission.categories:
        facts.append(f"- {phrase('arxiv_categories', lang)}: {', '.join(submission.categories)}")
    if submission.authors:
        facts.append(f"- {phrase('arxiv_authors', lang)}: {', '.join(submission.authors)}")
    if submission.published:
        facts.append(f"- {phrase('arxiv_published', lang)}: {submission.published[:10]}")
    parts = [
        f"# {submission.title}", f"[View Paper]({submission.url})", "\n".join(facts),
        "## Abstract", " ".join(submission.abstract.split()),
        f"## {_TWEET_HEADING[lang]}", summary,
    ]
    return "\n\n".join(parts) + "\n"


class SubmissionSummarizer:
    """≤ 140 characters on a new paper: the model's (in the notes' language, numbers checked
    against the abstract) when one is configured, else the abstract's first claim, shortened."""

    def __init__(
        self, *, prompts: PromptBook, chat: ChatModel | None, language: Lang,
        budget: float = 30.0,
    ) -> None:
        self._prompts, self._chat, self._language, self._budget = prompts, chat, language, budget

    async def summarize(self, submission: Submission, examples: Sequence[str] = ()) -> str:
        """``examples``: the notes' own 140-character tweets, the voice to write in."""
        drafted = await self._draft(submission, examples) if self._chat is not None else None
        return drafted or shorten(first_claim(submission.abstract) or submission.title, LIMIT)

    async def _draft(self, submission: Submission, examples: Sequence[str]) -> str | None:
        assert self._chat is not None
        messages = self._prompts.messages(
            "arxiv140", self._language, title=submission.title, abstract=submission.abstract,
            examples="\n".join(f"- {e}" for e in examples) or "-",
        )
        try:
            async with asyncio.timeout(self._budget):
                draft = tidy(await self._chat.complete(messages, max_tokens=300)).strip("「」\"")
        except (LLMError, TimeoutError) as exc:
            log.warning("summary of arXiv %s: model failed (%s)", submission.arxiv_id,
                        exc or "timeout")
            return None
        unknown = numbers_in(draft) - numbers_in(f"{submission.title} {submission.abstract}")
        if not draft or len(draft) > LIMIT or unknown:
            log.info("summary of arXiv %s: draft rejected (%d chars, numbers %s)",
                     submission.arxiv_id, len(draft), sorted(unknown))
            return None
        return draft
