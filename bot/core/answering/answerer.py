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

from bot.core.answering.citations import check_citations
from bot.core.answering.context import has_text, numbered_context
from bot.core.answering.evidence import EvidenceFinder
from bot.core.answering.evidence_record import Evidence
from bot.core.answering.grounding import Grounding, check_grounding
from bot.core.answering.listing import is_list_question
from bot.core.answering.lists import Lister
from bot.core.answering.queries import history_messages, history_text, parse_rewrite, recent
from bot.core.answering.quoting import Tokenize, extractive_answer
from bot.core.answering.refusal import MIN_RELEVANCE, should_answer
from bot.core.answers import Answer, AnswerEvent, Citation, Delta, Done, Lang, Restart, Turn
from bot.core.errors import LLMError, LLMTimeout, LLMUnavailable
from bot.core.llm import ChatModel, Message
from bot.core.models import Chunk
from bot.core.phrases import phrase
from bot.core.prompts import PromptBook
from bot.core.retrieval import NotesIndex
from bot.core.text import language_of

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AnswerPolicy:
    passages: int = 6
    min_relevance: float = MIN_RELEVANCE  # below it, "not found" (see bot.core.answering.refusal)
    budget: float = 30.0  # seconds until the model's first token, rewrite included
    answer_budget: float = 120.0  # seconds from the first token to the last
    history_turns: int = 6
    max_tokens: int | None = None
    context_tokens: int = 750  # passages in the answer prompt (estimated tokens)


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
            yield Done(Answer(question, _not_found(evidence, lang), (), "extractive", lang, False))
            return
        passages = self._model_passages(evidence)
        if self._chat is None:
            listed = await self._lister.section(evidence, lang)
            yield Done(listed or self._extractive(evidence, lang, "extractive_intro", ()))
            return
        parts: list[str] = []
        try:
            context = self.model_context(evidence)
            async for delta in self._generate(question, history, lang, context, deadline):
                parts.append(delta)
                yield Delta(delta)
        except LLMError as exc:
            log.warning("LLM failed, answering extractively: %s", exc)
            if parts:
                yield Restart(str(exc))
            notes = (f"language model failed: {exc}",)
            yield Done(self._extractive(evidence, lang, "fallback_intro", notes))
            return
        answer, grounding = self._checked("".join(parts), question, passages, lang)
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

    def _model_passages(self, evidence: Evidence) -> list[Chunk]:
        return [c for c in evidence.passages if has_text(c)][: self._policy.passages]

    def model_context(self, evidence: Evidence) -> str:
        """What a model reads for this evidence: its passages' best sentences."""
        return numbered_context(
            self._model_passages(evidence),
            budget=self._policy.context_tokens,
            wanted=evidence.weights,
            tokenize=self._tokenize,
            closeness=evidence.closeness,
        )

    async def _evidence(
        self, question: str, history: list[Turn], lang: Lang, deadline: float
    ) -> Evidence | None:
        if not question:
            return None
        extra = await self._rewrites(question, history, lang, deadline)
        return await self._finder.find(question, history, extra)

    async def _rewrites(
        self, question: str, history: list[Turn], lang: Lang, deadline: float
    ) -> list[str]:
        """With a model: a standalone question plus Japanese keywords (notes are Japanese).

        They are searched *besides* the question, so a bad rewrite cannot lose what it finds.
        """
        if self._chat is None or not (history or lang == "en"):
            return []
        messages = self._prompts.messages(
            "rewrite", lang, history=history_text(history) or "-", question=question
        )
        remaining = deadline - asyncio.get_running_loop().time()
        try:
            async with asyncio.timeout(remaining / 3):  # leave most of the budget to answering
                reply = await self._chat.complete(messages, max_tokens=200)
        except (LLMError, TimeoutError) as exc:
            log.info("query rewrite skipped: %s", exc or "timeout")
            return []
        return [q for q in parse_rewrite(reply) if q]

    async def _generate(
        self,
        question: str,
        history: list[Turn],
        lang: Lang,
        context: str,
        deadline: float,
    ) -> AsyncIterator[str]:
        assert self._chat is not None
        system, user = self._prompts.messages("answer", lang, passages=context, question=question)
        messages: list[Message] = [system, *history_messages(history), user]
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
            weights=_asking_weights(evidence),
            title=evidence.title,
            closeness=evidence.closeness,
        )
        citations = tuple(Citation.of(n, chunk) for n, chunk in enumerate(used, 1))
        return Answer(evidence.question, text, citations, "extractive", lang, True, notes)

    def _checked(
        self, text: str, question: str, passages: list[Chunk], lang: Lang
    ) -> tuple[Answer, Grounding]:
        checked = check_citations(text, passages)
        citations = tuple(
            Citation.of(n, passages[old - 1]) for n, old in enumerate(checked.cited, 1)
        )
        notes = [f"removed citation [{n}]: no such passage" for n in checked.removed_refs]
        notes += [f"removed unverified link {link}" for link in checked.removed_links]
        grounding = check_grounding(checked.text, checked.cited, passages, self._tokenize)
        answer = Answer(question, checked.text, citations, "llm", lang, True, tuple(notes))
        return answer, grounding


def _asking_weights(evidence: Evidence) -> dict[str, float]:
    """Sentences are chosen by the words that ask: inside one paper, its own words say nothing."""
    if evidence.focus.paper is None:
        return evidence.weights
    asking = set(evidence.asking)
    chosen = {t: w for t, w in evidence.weights.items() if t in asking}
    return chosen or evidence.weights


def _not_found(evidence: Evidence | None, lang: Lang) -> str:
    """The honest reply; for a near-domain question, the papers the notes do have nearby."""
    text = phrase("not_found", lang)
    if evidence is None or not evidence.unknown:
        return text
    titles = list(dict.fromkeys(h.chunk.paper for h in evidence.hits if h.chunk.paper))[:3]
    if not titles:
        return text
    return "\n".join([text, "", phrase("closest_papers", lang), *(f"- {t}" for t in titles)])
