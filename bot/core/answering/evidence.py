"""From a question (and its conversation) to the passages that answer it, best first.

1. Which paper: named in the question, else established by the conversation (a follow-up
   that names none keeps it), else the one the top search hits agree on.
2. Search with the question, and with the paper's title added for a follow-up; a question
   that first describes its paper ("…を出すやつ、…は？") is also searched by the description.
3. Focused: rank that paper's own passages by the rest of the question's words (what it asks
   once it has described the paper), the section role those words or its grammar ask for,
   and numbers for "how many" questions. Open: the search order, re-ranked the same way.
The features the "not found" decision needs are measured on the way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.core.answering.evidence_record import Evidence
from bot.core.answering.focus import (
    Focus,
    agreed,
    asks_about_session,
    choose_focus,
    established_paper,
    leads,
    named_papers,
    nicknamed_only,
    paper_names,
    paper_titles,
    session_focus,
    spaced_key,
    unanswered,
)
from bot.core.answering.glossary import gloss, gloss_japanese
from bot.core.answering.passages import (
    asking_words,
    asks_quantity,
    rank_passages,
    residual_words,
)
from bot.core.answering.queries import asking_clause, is_follow_up, standalone
from bot.core.answering.refusal import (
    NEIGHBOURS,
    decision_features,
    name_forms,
    names_in,
    unknown_names,
)
from bot.core.answering.relevance import idf
from bot.core.answering.sentences import dense_texts
from bot.core.answers import Turn
from bot.core.models import Chunk, Hit, Paper
from bot.core.retrieval import NotesIndex, merge_hits
from bot.core.roles import question_role
from bot.core.text import is_japanese, title_key

Tokenize = Callable[[str], list[str]]
_SEARCH_K = 20
_COMPARES = re.compile(r"比較|違い|差|異な|どちら|\bvs\.?\b|\bversus\b|compar|differ", re.I)
_OPEN_RERANK = 10  # open questions: how many search hits the section/number ranking reorders


class EvidenceFinder:
    def __init__(self, *, notes: NotesIndex, tokenize: Tokenize, k: int = _SEARCH_K) -> None:
        self._notes = notes
        self._tokenize = tokenize
        self._k = k

    async def find(
        self, question: str, history: Sequence[Turn] = (), extra_queries: Sequence[str] = ()
    ) -> Evidence:
        papers = await self._notes.papers()
        named = named_papers(question, papers)
        follows = await self._conversation_paper(history, papers) if history else None
        if follows is not None and named:
            # "LoRA のランクは？" after a paper that uses LoRA asks about that paper's LoRA.
            named_in_it = await self._mentions(follows, named)
            follows = follows if named_in_it else None
            named = [] if named_in_it else named
        elif len(named) > 1 and not _COMPARES.search(question):
            named = await self._host(named)
        queries = [question, *extra_queries]
        # The question's words in the notes' other language: English questions over Japanese
        # notes, Japanese terms the notes keep in English ("学習率" → "Learning rate").
        glossed = await self._glossed(question)
        if glossed and not is_japanese(question):
            queries += [f"{question} {glossed}"]
        if follows is not None:
            queries.append(f"{follows.title} {question}")
        elif history and is_follow_up(question):
            queries.append(standalone(question, history))
        lists = [await self._notes.search(q, self._k) for q in dict.fromkeys(queries)]
        hits = merge_hits(lists, self._k)
        named = [p for p in named if not nicknamed_only(question, p) or leads(hits, p)]
        clause = asking_clause(question)
        focus = choose_focus(named, follows, hits, papers, described=clause is not None)
        if focus.is_open and clause:
            focus = await self._described(question[: len(question) - len(clause)], hits, papers)
        titles = await self._notes.note_titles()
        session = session_focus(question, hits, titles)
        # "Chinchilla の回で出たツール案" is about the session, whatever paper it names.
        if not session.is_open and (asks_about_session(question) or not (named or follows)):
            focus = session
        tokens = self._tokenize(f"{question} {glossed}")
        names = {name: name_forms(name, self._tokenize) for name in names_in(question)}
        freqs, total = await self._notes.doc_freqs(
            [*tokens, *(t for forms in names.values() for t in forms)]
        )
        weights = {t: idf(freqs.get(t, 0), total) for t in tokens}
        evidence = Evidence(
            question, focus, [], weights, asks_quantity(question), named, follows, hits
        )
        evidence.doc_freq, evidence.total = freqs, total
        evidence.unknown = unknown_names(names, freqs)
        evidence.passages = await self._rank(evidence, tokens)
        if focus.paper is not None:
            evidence.title = focus.paper.title
        elif focus.source is not None:
            evidence.title = titles.get(focus.source) or focus.source
        neighbours = await self._notes.neighbours(question, NEIGHBOURS)
        evidence.features = decision_features(evidence, neighbours)
        return evidence

    async def _described(
        self, description: str, hits: Sequence[Hit], papers: Sequence[Paper]
    ) -> Focus:
        """"<the paper, described>、<what is asked>": the paper its description alone finds,
        if the whole question's hits have it too (a weak focus for "not found")."""
        found = agreed(await self._notes.search(description, self._k), papers, described=True)
        if found.paper is None:
            return Focus()
        titles = paper_titles(found.paper)
        if not any(title_key(h.chunk.paper or "") in titles for h in hits[:_OPEN_RERANK]):
            return Focus()
        return Focus(paper=found.paper, alone=True)

    async def _glossed(self, text: str) -> str:
        """The text's words in the notes' other language (see bot.core.answering.glossary)."""
        mined = await self._notes.glossary()
        return gloss_japanese(text, mined) if is_japanese(text) else gloss(text, mined)

    async def _conversation_paper(
        self, history: Sequence[Turn], papers: Sequence[Paper]
    ) -> Paper | None:
        """The paper the conversation is about: named in it, else the one the last question's
        hits agreed on (the paper the previous answer came from)."""
        if unanswered(history):
            return None
        paper = established_paper(history, papers)
        last = next((t.text for t in reversed(history) if t.role == "user"), None)
        if paper is None and last:
            paper = agreed(await self._notes.search(last, self._k), papers).paper
        return paper

    async def _host(self, named: list[Paper]) -> list[Paper]:
        """Of two named papers ("Reangle-A-Video の LoRA のランク"), the one whose note uses the
        other's name is asked about (the other is a part of it); otherwise both are."""
        hosts = [p for p in named if await self._mentions(p, [o for o in named if o is not p])]
        return hosts if len(hosts) == 1 else named

    async def _mentions(self, paper: Paper, named: list[Paper]) -> bool:
        """Does the paper's own note use the names of all the papers the question names?"""
        passages = await self._notes.passages_of([paper.title, *paper.aliases])
        text = " ".join(c.text for c, _ in passages)
        key = spaced_key(text)
        return all(any(f" {n} " in key for n in paper_names(other)) for other in named)

    async def _rank(self, evidence: Evidence, tokens: list[str]) -> list[Chunk]:
        focus, hits = evidence.focus, evidence.hits
        if focus.paper is not None:
            candidates = await self._notes.passages_of([focus.paper.title, *focus.paper.aliases])
        elif focus.source is not None:
            candidates = await self._notes.note_passages(focus.source)
        else:
            head = [h.chunk for h in hits[:_OPEN_RERANK]]
            candidates = await self._with_tokens(head)
        if not candidates:
            return [h.chunk for h in hits]
        found_by_words = not focus.is_open and not evidence.named and evidence.follows is None
        clause = asking_clause(evidence.question) if found_by_words else None
        if clause:  # the paper is found: its description says nothing of what is asked
            asked = set(self._tokenize(clause) + self._tokenize(await self._glossed(clause)))
            tokens = [t for t in tokens if t in asked] or tokens
        residual = residual_words(tokens, focus.paper, self._tokenize)
        if found_by_words and not clause:
            # Found by its own words ("エッジ端末の医療アシスタント"): those point, the rest asks.
            residual = asking_words(residual, candidates, evidence.doc_freq, evidence.total)
        evidence.asking = residual
        weight = evidence.weights.get
        roles = (await self._notes.role_model()).affinity(residual, lambda t: weight(t, 1.0))
        prior = {h.chunk.id: h.rank for h in hits}
        await self._measure_closeness(evidence, [c for c, _ in candidates], clause)
        ranked = rank_passages(
            candidates,
            residual,
            weight=lambda t: weight(t, 1.0),
            roles=roles,
            quantity=evidence.quantity,
            prior=prior,
            asked_role=question_role(evidence.question),
        )
        chunks = [s.chunk for s in ranked]
        if focus.is_open:
            chunks += [h.chunk for h in hits[_OPEN_RERANK:]]
        return chunks

    async def _measure_closeness(
        self, evidence: Evidence, chunks: list[Chunk], clause: str | None
    ) -> None:
        """The question's closeness in meaning to every sentence of the candidates (whether the
        notes answer at all), and what quoting compares: once its paper is found, a question
        that first describes it by what it asks alone (the description is close to the
        paper's summary, the asked part to the answer). {} without vectors."""
        texts = list(dict.fromkeys(s for c in chunks for s in dense_texts(c.body)))
        whole = await self._notes.closeness(evidence.question, texts)
        evidence.question_closeness = evidence.closeness = dict(zip(texts, whole, strict=False))
        if clause and (asked := await self._notes.closeness(clause, texts)):
            evidence.closeness = dict(zip(texts, asked, strict=False))
            evidence.clause = clause

    async def fused(self, evidence: Evidence) -> list[Chunk]:
        """The search's ranking for a larger context: the question's hits, and for a question
        that first describes its paper, the hits of what it asks alone, merged."""
        clause = asking_clause(evidence.question)
        if not clause:
            return [hit.chunk for hit in evidence.hits]
        asked = await self._notes.search(clause, self._k)
        return [hit.chunk for hit in merge_hits([evidence.hits, asked], self._k)]

    async def widen(self, evidence: Evidence, chunks: Sequence[Chunk]) -> None:
        """Closeness for the sentences of more passages (a larger context draws from the
        search's hits too), compared as the answer's own passages were."""
        known = evidence.question_closeness
        texts = list(dict.fromkeys(
            s for c in chunks for s in dense_texts(c.body) if s not in known
        ))
        if not texts or not known:
            return  # nothing new, or no vectors at all
        whole = await self._notes.closeness(evidence.question, texts)
        evidence.question_closeness = {**known, **dict(zip(texts, whole, strict=False))}
        if evidence.clause is None:
            evidence.closeness = evidence.question_closeness
            return
        asked = await self._notes.closeness(evidence.clause, texts)
        evidence.closeness = {**evidence.closeness, **dict(zip(texts, asked, strict=False))}

    async def _with_tokens(self, chunks: list[Chunk]) -> list[tuple[Chunk, list[str]]]:
        return [(chunk, self._tokenize(chunk.text)) for chunk in chunks]
