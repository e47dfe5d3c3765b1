"""With a model, retrieval uses it too: one call writes a follow-up as a standalone question
and the search keywords in both languages, for the questions search finds hard.

Hard: a follow-up (its words lean on the conversation), an English question (the notes are
mostly Japanese), or a question whose own search found nothing sure: it names no paper. The
rewrites are searched *besides* the question, so a bad rewrite cannot lose what the question
finds.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from bot.core.answering.evidence_record import Evidence
from bot.core.answering.queries import history_text, parse_rewrite
from bot.core.answering.refusal import should_answer
from bot.core.answers import Lang, Turn
from bot.core.errors import LLMError
from bot.core.llm import ChatModel
from bot.core.prompts import PromptBook

log = logging.getLogger(__name__)
REWRITE_SHARE = 1 / 3  # of the time left before the first token: most is for answering


def needs_rewrite(history: Sequence[Turn], lang: Lang) -> bool:
    """Hard before any search: a follow-up, or a question in English."""
    return bool(history) or lang == "en"


def found_nothing_sure(evidence: Evidence, min_relevance: float) -> bool:
    """Hard after the search: it would say "not found", or the question names no paper (its
    paper, if any, is a guess from the hits: a description in everyday words often misses)."""
    if not should_answer(evidence.features, min_relevance):
        return True
    return not evidence.named and evidence.follows is None


async def rewrite(
    *,
    chat: ChatModel,
    prompts: PromptBook,
    question: str,
    history: Sequence[Turn],
    lang: Lang,
    seconds: float,
) -> list[str]:
    """The standalone question and keywords the model writes ([] when it fails or is slow)."""
    messages = prompts.messages(
        "rewrite", lang, history=history_text(history) or "-", question=question
    )
    try:
        async with asyncio.timeout(max(0.05, seconds * REWRITE_SHARE)):
            reply = await chat.complete(messages, max_tokens=200)
    except (LLMError, TimeoutError) as exc:
        log.info("query rewrite skipped: %s", exc or "timeout")
        return []
    return [q for q in parse_rewrite(reply) if q]
