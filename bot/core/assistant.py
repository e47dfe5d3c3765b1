"""Everything a chat platform (or the console) can ask of notesbot, in one object."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Sequence
from dataclasses import dataclass

from bot.core.answering.answerer import Answerer
from bot.core.answers import Answer, AnswerEvent, Lang, Summary, Turn
from bot.core.digest import Digest, DigestMaker
from bot.core.models import Hit
from bot.core.phrases import phrase
from bot.core.retrieval import NotesIndex
from bot.core.summaries import Summarizer


@dataclass(frozen=True, slots=True)
class Assistant:
    notes: NotesIndex
    answerer: Answerer
    summarizer: Summarizer
    digests: DigestMaker

    @property
    def has_llm(self) -> bool:
        return self.answerer.has_llm

    def stream(self, question: str, history: Sequence[Turn] = ()) -> AsyncIterator[AnswerEvent]:
        return self.answerer.stream(question, history)

    async def answer(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        return await self.answerer.answer(question, history)

    async def summarize(self, query: str) -> Summary | None:
        return await self.summarizer.summarize(query)

    async def no_paper(self, query: str, lang: Lang) -> str:
        """What to say when no paper of the notes matches: that, and the closest titles."""
        text = phrase("no_paper", lang, query=query)
        nearest = await self.summarizer.nearest(query)
        if not nearest:
            return text
        return "\n".join([text, phrase("nearest_papers", lang), *(f"- {t}" for t in nearest)])

    async def search(self, query: str, k: int = 5) -> list[Hit]:
        return await self.notes.search(query, k)

    async def digest(
        self,
        target: str,
        period: str,
        *,
        since: str | None = None,
        recently_posted: Collection[str] = (),
    ) -> Digest:
        return await self.digests.make(
            target, period, since=since, recently_posted=recently_posted
        )
