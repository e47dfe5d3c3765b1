"""Answer a question from the notes: retrieve, ask the model, check its citations, or extract.

The user always gets an answer within the time budget: from the model (citations checked), or,
with no model or when it fails or is too slow, from the passages themselves (marked extractive).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from bot.core.answering.answer_sentences import Asked
from bot.core.answering.budget import SMALL, ContextBudget, model_budget
from bot.core.answering.context import (
    MAX_POOL,
    SMALL_POOL,
    ModelContext,
    context_pool,
    numbered_context,
    pool_size,
)
from bot.core.answering.evidence import EvidenceFinder
from bot.core.answering.evidence_record import Evidence
from bot.core.answering.grounding import checked_answer
from bot.core.answering.listing import is_list_question
from bot.core.answering.lists import Lister
from bot.core.answering.queries import history_messages, recent
from bot.core.answering.quoting import Tokenize, extractive_answer
from bot.core.answering.refusal import MIN_RELEVANCE, not_found_reply, should_answer
from bot.core.answering.rewrite import found_nothing_sure, needs_rewrite, rewrite
from bot.core.answers import Answer, AnswerEvent, Citation, Delta, Done, Lang, Restart, Turn
from bot.core.errors import LLMError, LLMTimeout, LLMUnavailable
from bot.core.llm import ChatModel, Message
from bot.core.prompts import PromptBook
from bot.core.retrieval import NotesIndex
from bot.core.text import language_of

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AnswerPolicy:
    passages: int = MAX_POOL  # at most, in the model's context (the budget sets how many)
    min_relevance: float = MIN_RELEVANCE  # below it, "not found" (see bot.core.answering.refusal)
    budget: float = 30.0  # seconds until the model's first token, rewrite included
    answer_budget: float = 120.0  # seconds from the first token to the last
    history_turns: int = 6
    max_tokens: int | None = None
    context_tokens: int | None = None  # tokens of passages; None: sized to the model (budget.py)


class Answerer:
    def __init__(
        self,
        *,
        notes: NotesIndex,
        prompts: PromptBook,
        tokenize: Tokenize,
        chat: ChatModel | None = None,
        policy: AnswerPolicy = AnswerPolicy(),
    ) -> None:
        self._notes = notes
        self._prompts = prompts
        self._tokenize = tokenize
        self._chat = chat
        self._policy = policy
        self._finder = EvidenceFinder(notes=notes, tokenize=tokenize)
        self._lister = Lister(notes=notes, tokenize=tokenize)

    @property
    def has_llm(self) -> bool:
        return self._chat is not None

    async def answer(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        async for event in self.stream(question, history):
            if isinstance(event, Done):
                return event.answer
        raise AssertionError("stream() always ends with Done")

    async def stream(
        self, question: str, history: Sequence[Turn] = ()
    ) -> AsyncIterator[AnswerEvent]:
        """Deltas while the model writes, maybe a Restart, and always one final Done."""
        question = question.strip()
        lang = language_of(question)
        deadline = asyncio.get_running_loop().time() + self._policy.budget
        history = recent(history, self._policy.history_turns)
        listed = await self._lister.answer(question, lang) if is_list_question(question) else None
        if listed is not None:
            yield Done(listed)
            return
        evidence = await self._evidence(question, history, lang, deadline)
        if evidence is None or not evidence.passages or not self._decide(evidence):
            # Said plainly, without asking the model: nothing to ground an answer on.
            reply = not_found_reply(evidence, lang)
            yield Done(Answer(question, reply, (), "extractive", lang, False))
            return
        if self._chat is None:
            listed = await self._lister.section(evidence, lang)
            yield Done(listed or self._extractive(evidence, lang, "extractive_intro", ()))
            return
        parts: list[str] = []
        context = await self.model_context(evidence)
        try:
            async for delta in self._generate(question, history, lang, context.text, deadline):
                parts.append(delta)
                yield Delta(delta)
        except LLMError as exc:
            log.warning("LLM failed, answering extractively: %s", exc)
            if parts:
                yield Restart(str(exc))
            notes = (f"language model failed: {exc}",)
            yield Done(self._extractive(evidence, lang, "fallback_intro", notes))
            return
        answer, grounding = checked_answer(
            "".join(parts), question, context.passages, lang, self._tokenize
        )
        if grounding.supported:
            yield Done(answer)
            return
        # A fluent invention is worse than no model: the user reads the notes' own words.
        log.info("model answer not shown: %s", grounding.reason)
        yield Restart(grounding.reason)
        notes = (f"model answer not supported by the notes: {grounding.reason}",)
        yield Done(self._extractive(evidence, lang, "unsupported_intro", notes))

    async def evidence(self, question: str, history: Sequence[Turn] = ()) -> Evidence:
        """The passages an answer to ``question`` would use, best first (no model asked)."""
        turns = recent(history, self._policy.history_turns)
        return await self._finder.find(question.strip(), turns)

    async def context_budget(self) -> ContextBudget:
        """Tokens of passages the model reads: the setting, else sized to its window."""
        return await model_budget(self._chat, self._policy.context_tokens)

    async def model_context(self, evidence: Evidence, budget: int | None = None) -> ModelContext:
        """What a model reads for this evidence (within ``budget`` tokens, the model's by
        default): the best sentences of its passages and of the search's other hits."""
        budget = budget or (await self.context_budget()).tokens
        size = pool_size(budget, self._policy.passages)
        # A small context is filled from the question's own hits; a larger one searches more.
        if size > SMALL_POOL:
            fused = await self._finder.fused(evidence)
        else:
            fused = [hit.chunk for hit in evidence.hits]
        pool = context_pool(evidence.passages, fused, size)
        await self._finder.widen(evidence, pool)
        asked = Asked(evidence.question, evidence.weights, self._tokenize, evidence.closeness)
        return numbered_context(pool, budget=budget, asked=asked)

    def prompt(self, question: str, history: list[Turn], lang: Lang, context: str) -> list[Message]:
        """The messages the model gets: instructions, the conversation, passages and question."""
        system, user = self._prompts.messages("answer", lang, passages=context, question=question)
        return [system, *history_messages(history), user]

    async def _evidence(
        self, question: str, history: list[Turn], lang: Lang, deadline: float
    ) -> Evidence | None:
        if not question:
            return None
        if self._chat is None:
            return await self._finder.find(question, history)
        hard = needs_rewrite(history, lang)
        evidence = None if hard else await self._finder.find(question, history)
        # A small model's rewrite costs seconds before its first token and rarely finds more.
        small = (await self.context_budget()).tokens <= SMALL
        unsure = evidence is not None and found_nothing_sure(evidence, self._policy.min_relevance)
        if evidence is not None and (small or not unsure):
            return evidence
        seconds = deadline - asyncio.get_running_loop().time()
        extra = await rewrite(chat=self._chat, prompts=self._prompts, question=question,
                              history=history, lang=lang, seconds=seconds)
        if evidence is not None and not extra:
            return evidence
        return await self._finder.find(question, history, extra)

    async def _generate(
        self,
        question: str,
        history: list[Turn],
        lang: Lang,
        context: str,
        deadline: float,
    ) -> AsyncIterator[str]:
        assert self._chat is not None
        messages = self.prompt(question, history, lang, context)
        stream = self._chat.stream(messages, max_tokens=self._policy.max_tokens)
        try:
            remaining = max(0.05, deadline - asyncio.get_running_loop().time())
            try:
                async with asyncio.timeout(remaining):
                    first = await anext(stream)
            except TimeoutError as exc:
                raise LLMTimeout(f"no answer within {self._policy.budget:g}s") from exc
            except StopAsyncIteration as exc:
                raise LLMUnavailable("empty reply") from exc
            yield first
            end = asyncio.get_running_loop().time() + self._policy.answer_budget
            async for delta in stream:
                if asyncio.get_running_loop().time() > end:
                    raise LLMTimeout(f"answer not finished within {self._policy.answer_budget:g}s")
                yield delta
        finally:
            with contextlib.suppress(Exception):
                await stream.aclose()  # type: ignore[attr-defined]

    def _decide(self, evidence: Evidence) -> bool:
        """Answer (True) or say "not found": see bot.core.answering.refusal."""
        return should_answer(evidence.features, self._policy.min_relevance)

    def _extractive(
        self, evidence: Evidence, lang: Lang, intro: str, notes: tuple[str, ...]
    ) -> Answer:
        text, used = extractive_answer(
            evidence.question,
            evidence.passages,
            lang=lang,
            tokenize=self._tokenize,
            intro=intro,
            weights=evidence.quoting_weights(),
            title=evidence.title,
            closeness=evidence.closeness,
        )
        citations = tuple(Citation.of(n, chunk) for n, chunk in enumerate(used, 1))
        return Answer(evidence.question, text, citations, "extractive", lang, True, notes)
