"""A new arXiv paper in the user's voice: its ≤ 140-character summary, and the deep-dive note
"save as note" writes (the format the notes already use, so the next ingest reads it)."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence

from bot.core.answers import Lang
from bot.core.arxiv.submissions import Submission
from bot.core.errors import LLMError
from bot.core.llm import ChatModel, Message
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


def note_text(submission: Submission, summary: str, lang: Lang, sections: str = "") -> str:
    """A deep-dive note: title, paper link, the listing's facts, abstract, the model's numbered
    sections (when there are), the 140 characters."""
    facts = [f"- arXiv: {submission.arxiv_id}"]
    if submission.categories:
        facts.append(f"- {phrase('arxiv_categories', lang)}: {', '.join(submission.categories)}")
    if submission.authors:
        facts.append(f"- {phrase('arxiv_authors', lang)}: {', '.join(submission.authors)}")
    if submission.published:
        facts.append(f"- {phrase('arxiv_published', lang)}: {submission.published[:10]}")
    parts = [
        f"# {submission.title}", f"[View Paper]({submission.url})", "\n".join(facts),
        "## Abstract", " ".join(submission.abstract.split()), sections.strip(),
        f"## {_TWEET_HEADING[lang]}", summary,
    ]
    return "\n\n".join(part for part in parts if part) + "\n"


class PaperWriter:
    """Writes about a new paper in the notes' language: its ≤ 140 characters (the model's,
    numbers checked against the abstract, else the abstract's first claim shortened) and,
    with a model, the numbered sections of its note."""

    def __init__(
        self, *, prompts: PromptBook, chat: ChatModel | None, language: Lang,
        budget: float = 30.0,
    ) -> None:
        self._prompts, self._chat, self._language, self._budget = prompts, chat, language, budget

    async def summarize(self, submission: Submission, examples: Sequence[str] = ()) -> str:
        """``examples``: the notes' own 140-character tweets, the voice to write in."""
        drafted = await self._draft(submission, examples) if self._chat is not None else None
        return drafted or shorten(first_claim(submission.abstract) or submission.title, LIMIT)

    async def sections(self, submission: Submission) -> str:
        """The deep dive's numbered sections, drafted by the model from the abstract; "" without
        a model, or when the draft lacks a section or uses a number the abstract does not."""
        if self._chat is None:
            return ""
        messages = self._prompts.messages(
            "arxiv_note", self._language, title=submission.title, abstract=submission.abstract
        )
        draft = await self._complete(messages, submission, max_tokens=900) or ""
        numbered = re.findall(r"^## (\d+)\.", draft, flags=re.M)
        body = re.sub(r"^## \d+\.", "##", draft, flags=re.M)  # heading numbers are no claims
        if numbered != ["1", "2", "3", "4"] or self._unknown(body, submission):
            log.info("sections of arXiv %s: draft rejected", submission.arxiv_id)
            return ""
        return draft.strip()

    async def _draft(self, submission: Submission, examples: Sequence[str]) -> str | None:
        messages = self._prompts.messages(
            "arxiv140", self._language, title=submission.title, abstract=submission.abstract,
            examples="\n".join(f"- {e}" for e in examples) or "-",
        )
        draft = tidy(await self._complete(messages, submission, max_tokens=300) or "")
        draft = draft.strip("「」\"")
        unknown = self._unknown(draft, submission)
        if not draft or len(draft) > LIMIT or unknown:
            log.info("summary of arXiv %s: draft rejected (%d chars, numbers %s)",
                     submission.arxiv_id, len(draft), sorted(unknown))
            return None
        return draft

    async def _complete(
        self, messages: list[Message], submission: Submission, *, max_tokens: int
    ) -> str | None:
        assert self._chat is not None
        try:
            async with asyncio.timeout(self._budget):
                return await self._chat.complete(messages, max_tokens=max_tokens)
        except (LLMError, TimeoutError) as exc:
            log.warning("arXiv %s: model failed (%s)", submission.arxiv_id, exc or "timeout")
            return None

    @staticmethod
    def _unknown(draft: str, submission: Submission) -> set[str]:
        """Numbers in the draft that the title and abstract do not have."""
        return numbers_in(draft) - numbers_in(f"{submission.title} {submission.abstract}")
