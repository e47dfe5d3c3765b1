"""What an answer without a model quotes: the best sentences of the best passages.

Sentences compete across the top passages (the one sentence that answers may sit in the
fourth passage), each scored by the answer-sentence score (bot.core.answering.answer_sentences:
a linear score over described features, its weights in a shipped file) plus a prior for its
passage's rank. The chosen ones are shown under their passages, the passage of the best
sentence first; in each, the best sentence leads (with the one before it if it points back:
"これにより…") and the rest follow in the note's order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.core.answering.answer_sentences import Asked, unit_scores
from bot.core.answering.answer_types import refers_back
from bot.core.answering.sentences import (
    EXCERPT_CHARS,
    Unit,
    clean,
    line_texts,
    sentence_texts,
    units_of,
)
from bot.core.answers import Lang
from bot.core.models import Chunk
from bot.core.phrases import phrase
from bot.core.roles import section_role
from bot.core.shorten import shorten
from bot.core.text import strip_emphasis

Tokenize = Callable[[str], list[str]]
POOL = 6  # passages whose sentences compete
MAX_QUOTED = 5  # sentences quoted in all
MAX_PASSAGES = 3  # passages an answer cites
_SHORT = 50  # a chosen sentence this short takes its next one along ("GPU:" and what follows)


@dataclass(slots=True)
class Quote:
    chunk: Chunk
    rank: int
    units: dict[int, str] = field(default_factory=dict)  # unit position → text
    best: int = 0  # the position of the sentence that answers

    def order(self) -> list[int]:
        """The answering sentence first (with the one before it when it points back to it),
        then the rest in the note's order."""
        lead = [i for i in (self.best - 1, self.best) if i in self.units
                and (i == self.best or refers_back(self.units[self.best]))]
        return lead + [i for i in sorted(self.units) if i not in lead]


def extractive_answer(
    question: str,
    passages: Sequence[Chunk],
    *,
    lang: Lang,
    tokenize: Tokenize,
    intro: str,
    weights: Mapping[str, float] | None = None,
    title: str | None = None,
    closeness: Mapping[str, float] | None = None,
) -> tuple[str, list[Chunk]]:
    """Markdown bullets, one per quoted passage (best first), each citing its ``[n]``; and the
    cited passages. ``title``: all passages are about this paper: it heads the answer, and
    bullets name sections. ``closeness``: the question's cosine to each sentence."""
    wanted = dict(weights) if weights else dict.fromkeys(tokenize(question), 1.0)
    quotes = choose_quotes(passages, Asked(question, wanted, tokenize, closeness or {}))
    lines = [phrase(intro, lang)]
    if title:
        lines.append(f"**{title}**")
    for n, quote in enumerate(quotes, 1):
        chunk = quote.chunk
        section = chunk.heading.split(" > ")[-1] if chunk.heading else ""
        label = (section or chunk.source) if title else (chunk.paper or section or chunk.source)
        text = " ".join(quote.units[i] for i in quote.order())
        lines.append(f"- **{_short_label(label)}**: {text} [{n}]")
    return "\n".join(lines), [quote.chunk for quote in quotes]


def choose_quotes(passages: Sequence[Chunk], asked: Asked) -> list[Quote]:
    """The best sentences of the best ``POOL`` passages, grouped by passage: the passage of
    the best sentence first, and in each the best sentence first."""
    pool = list(passages[:POOL])
    scored = [
        (score, rank, i, text)
        for rank, chunk in enumerate(pool, 1)
        for i, text, score in scored_units(chunk, rank, asked)
    ]
    scored.sort(key=lambda item: (item[0], -item[1], -item[2]), reverse=True)
    quotes: dict[int, Quote] = {}
    seen: set[str] = set()
    for _, rank, i, text in scored:
        if len(seen) >= MAX_QUOTED:
            break
        if text in seen or (rank not in quotes and len(quotes) >= MAX_PASSAGES):
            continue
        quote = quotes.setdefault(rank, Quote(pool[rank - 1], rank, best=i))
        quote.units[i] = shorten(text, EXCERPT_CHARS, keep_links=True)
        seen.add(text)
    for quote in quotes.values():
        _take_neighbours(quote)
    if not quotes and pool:  # nothing quotable: the passage's own opening
        body = shorten(clean(pool[0].body), EXCERPT_CHARS, keep_links=True)
        quotes[1] = Quote(pool[0], 1, {0: body})
    return list(quotes.values())  # in the order their best sentences scored


def scored_units(
    chunk: Chunk,
    rank: int,
    asked: Asked,
    *,
    sentences: bool = False,
    whole_line: Callable[[str], bool] | None = None,
    rank_prior: float | None = None,
) -> list[tuple[int, str, float]]:
    """(position, text, score) of each quotable unit of a passage ranked ``rank``; with
    ``sentences``, of each sentence alone (no lead-in joined with its items), or with
    ``whole_line``, of each line it accepts whole (else of its sentences). The score is the
    answer-sentence score plus ``rank_prior`` (the weights file's by default) ÷ the
    passage's rank."""
    prior = asked.scorer.rank_prior if rank_prior is None else rank_prior
    if sentences or whole_line:
        units = [Unit(s) for s in line_texts(chunk.body, whole_line or (lambda _: False))]
    else:
        units = units_of(chunk.body)
    scores = unit_scores(asked, units, sentence_texts(chunk.body), section_role(chunk.heading))
    return [
        (i, unit.text, score + prior / rank)
        for i, (unit, score) in enumerate(zip(units, scores, strict=True))
    ]


def _take_neighbours(quote: Quote) -> None:
    """A short chosen sentence ("モデルサイズ:") reads alone as a stub: its next one joins; one
    that opens by pointing back ("これにより…", "This…") takes the one before it along."""
    units = units_of(quote.chunk.body)
    for i in sorted(quote.units):
        if len(quote.units[i]) < _SHORT and i + 1 < len(units) and i + 1 not in quote.units:
            quote.units[i + 1] = shorten(units[i + 1].text, EXCERPT_CHARS, keep_links=True)
        if refers_back(quote.units[i]) and i > 0 and i - 1 not in quote.units:
            quote.units[i - 1] = shorten(units[i - 1].text, EXCERPT_CHARS, keep_links=True)


def _short_label(label: str) -> str:
    label = strip_emphasis(label)
    return label if len(label) <= 60 else label[:59].rstrip() + "…"
