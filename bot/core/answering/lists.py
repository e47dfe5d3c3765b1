"""List answers: every paper on a topic, venue or session, from the catalog; and the papers of
one section of a session note ("特に興味を持っていた論文はどれ？")."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from bot.core.answering.evidence_record import Evidence
from bot.core.answering.focus import paper_titled, session_focus, session_phrase
from bot.core.answering.glossary import english_for
from bot.core.answering.listing import Listed, Scope, list_papers, render_list
from bot.core.answers import Answer, Lang
from bot.core.models import Hit
from bot.core.retrieval import NotesIndex

Tokenize = Callable[[str], list[str]]
MAX_LISTED = 30
_SEARCH = 50  # passages searched for papers whose profile misses the topic
# "Which papers …?": a question whose answer is papers, not a fact about one.
_ASKS_PAPERS = re.compile(r"論文.{0,12}(?:どれ|どの|何|なに)|(?:which|what) papers", re.I)


class Lister:
    def __init__(self, *, notes: NotesIndex, tokenize: Tokenize) -> None:
        self._notes = notes
        # Paper profiles are tokenized for every list question: once each is enough.
        self._cached = functools.lru_cache(maxsize=8192)(lambda text: tuple(tokenize(text)))
        self._tokenize = tokenize

    async def answer(self, question: str, lang: Lang) -> Answer | None:
        """Every paper on the question's topic, from the catalog (None: nothing matches)."""
        papers = await self._notes.papers()
        hits = await self._notes.search(question, _SEARCH)
        passages = [(h.chunk.paper, self._tokens(h.chunk.body)) for h in hits if h.chunk.paper]
        mined = await self._notes.glossary()
        items = list_papers(
            question,
            papers,
            tokenize=self._tokens,
            passages=passages,
            scope=await self._session_scope(question, hits),
            english=lambda word: english_for(word, mined),
        )
        return _answer(question, items, lang) if items else None

    async def section(self, evidence: Evidence, lang: Lang) -> Answer | None:
        """A question asking which papers, about a session note: the papers of the section
        that answers it, as a list (None: not such a question, or one paper there)."""
        if evidence.focus.source is None or not _ASKS_PAPERS.search(evidence.question):
            return None
        top = evidence.passages[0]
        section = top.heading.split(" > ")[:2]
        titles = [
            c.paper
            for c in evidence.passages
            if c.paper and c.source == top.source and c.heading.split(" > ")[:2] == section
        ]
        papers = await self._notes.papers()
        found = [p for t in dict.fromkeys(titles) if (p := paper_titled(t, papers))]
        listed = [Listed(p, 1.0) for p in {p.key: p for p in found}.values()]
        return _answer(evidence.question, listed, lang) if len(listed) >= 2 else None

    async def _session_scope(self, question: str, hits: list[Hit]) -> Scope | None:
        """The session a list question is about ("6/30 の回", "多言語のセッションで出た…")."""
        focus = session_focus(question, hits, await self._notes.note_titles())
        if focus.source is None:
            return None
        return Scope(focus.source, frozenset(self._tokenize(session_phrase(question))))

    def _tokens(self, text: str) -> list[str]:
        return list(self._cached(text))


def _answer(question: str, items: list[Listed], lang: Lang) -> Answer:
    text, citations = render_list(items[:MAX_LISTED], lang)
    return Answer(question, text, citations, "extractive", lang, True)
