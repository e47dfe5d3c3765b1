"""Everything a chat platform (or the console) can ask of notesbot, in one object."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from bot.core.answering import Answerer
from bot.core.answers import Answer, AnswerEvent, Summary, Turn
from bot.core.models import Hit
from bot.core.retrieval import NotesIndex
from bot.core.summaries import Summarizer


@dataclass(frozen=True, slots=True)
class Assistant:
    notes: NotesIndex
    answerer: Answerer
    summarizer: Summarizer

    @property
    def has_llm(self) -> bool:
        return self.answerer.has_llm

    def stream(self, question: str, history: Sequence[Turn] = ()) -> AsyncIterator[AnswerEvent]:
        return self.answerer.stream(question, history)

    async def answer(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        return await self.answerer.answer(question, history)

    async def summarize(self, query: str) -> Summary | None:
        return await self.summarizer.summarize(query)

    async def search(self, query: str, k: int = 5) -> list[Hit]:
        return await self.notes.search(query, k)
