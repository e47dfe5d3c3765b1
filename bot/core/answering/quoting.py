"""What an answer without a model quotes: the best sentences of the best passages.

Sentences compete across the top passages (the one sentence that answers may sit in the
fourth passage), each scored by the question's rarer words it shares, whether it states a
fact (a number or a name), its closeness in meaning to the question (what words miss in a
paraphrase or in another language) and its passage's rank. The chosen ones are shown under
their passages, best passage first, each passage's in the note's order. Weights: dev questions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

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
from bot.core.shorten import shorten
from bot.core.text import strip_emphasis

Tokenize = Callable[[str], list[str]]
POOL = 6  # passages whose sentences compete
MAX_QUOTED = 5  # sentences quoted in all
MAX_PASSAGES = 3  # passages an answer cites
SPECIFIC_BONUS = 0.25  # a number, half of it for a name (Qwen2, GPT-4, RAG)
SENTENCE_DENSE = 5.0  # × cosine of the sentence to the question
RANK_PRIOR = 0.3  # ÷ the passage's rank
_SHORT = 50  # a chosen sentence this short takes its next one along ("GPU:" and what follows)
_DIGIT = re.compile(r"\d")
_NAME = re.compile(r"[A-Za-z][a-z0-9]*[A-Z0-9-][A-Za-z0-9-]*|[A-Z]{2,}")


@dataclass(slots=True)
class Quote:
    chunk: Chunk
    rank: int
    units: dict[int, str] = field(default_factory=dict)  # unit position → text


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
    quotes = choose_quotes(passages, wanted, tokenize, closeness or {})
    lines = [phrase(intro, lang)]
    if title:
        lines.append(f"**{title}**")
    for n, quote in enumerate(quotes, 1):
        chunk = quote.chunk
        section = chunk.heading.split(" > ")[-1] if chunk.heading else ""
        label = (section or chunk.source) if title else (chunk.paper or section or chunk.source)
        text = " ".join(quote.units[i] for i in sorted(quote.units))
        lines.append(f"- **{_short_label(label)}**: {text} [{n}]")
    return "\n".join(lines), [quote.chunk for quote in quotes]


def choose_quotes(
    passages: Sequence[Chunk],
    wanted: Mapping[str, float],
    tokenize: Tokenize,
    closeness: Mapping[str, float],
) -> list[Quote]:
    """The best sentences of the best ``POOL`` passages, grouped by passage (best first)."""
    pool = list(passages[:POOL])
    scored = [
        (score, rank, i, text)
        for rank, chunk in enumerate(pool, 1)
        for i, text, score in scored_units(chunk, rank, wanted, tokenize, closeness)
    ]
    scored.sort(key=lambda item: (item[0], -item[1], -item[2]), reverse=True)
    quotes: dict[int, Quote] = {}
    seen: set[str] = set()
    for _, rank, i, text in scored:
        if len(seen) >= MAX_QUOTED:
            break
        if text in seen or (rank not in quotes and len(quotes) >= MAX_PASSAGES):
            continue
        quote = quotes.setdefault(rank, Quote(pool[rank - 1], rank))
        quote.units[i] = shorten(text, EXCERPT_CHARS, keep_links=True)
        seen.add(text)
    for quote in quotes.values():
        _take_next_after_short(quote)
    if not quotes and pool:  # nothing quotable: the passage's own opening
        body = shorten(clean(pool[0].body), EXCERPT_CHARS, keep_links=True)
        quotes[1] = Quote(pool[0], 1, {0: body})
    return [quotes[rank] for rank in sorted(quotes)]


def scored_units(
    chunk: Chunk,
    rank: int,
    wanted: Mapping[str, float],
    tokenize: Tokenize,
    closeness: Mapping[str, float],
    *,
    sentences: bool = False,
    whole_line: Callable[[str], bool] | None = None,
    rank_prior: float = RANK_PRIOR,
) -> list[tuple[int, str, float]]:
    """(position, text, score) of each quotable unit of a passage ranked ``rank``; with
    ``sentences``, of each sentence alone (no lead-in joined with its items), or with
    ``whole_line``, of each line it accepts whole (else of its sentences)."""
    total = sum(wanted.values()) or 1.0
    known = {s: closeness[s] for s in sentence_texts(chunk.body) if s in closeness}
    floor = min(known.values(), default=0.0)  # a unit of no known sentence (a table's roll)
    if sentences or whole_line:
        units = [Unit(s) for s in line_texts(chunk.body, whole_line or (lambda _: False))]
    else:
        units = units_of(chunk.body)
    scored = []
    for i, unit in enumerate(units):
        words = sum(wanted[t] for t in set(tokenize(unit.words)) if t in wanted) / total
        fact = bool(_DIGIT.search(unit.text)) + 0.5 * bool(_NAME.search(unit.text))
        dense = max((c for s, c in known.items() if s in unit.words), default=floor)
        score = words + SPECIFIC_BONUS * fact + SENTENCE_DENSE * dense + rank_prior / rank
        scored.append((i, unit.text, score))
    return scored


def _take_next_after_short(quote: Quote) -> None:
    """A short chosen sentence ("モデルサイズ:") reads alone as a stub: its next one joins."""
    units = units_of(quote.chunk.body)
    for i in sorted(quote.units):
        if len(quote.units[i]) < _SHORT and i + 1 < len(units) and i + 1 not in quote.units:
            quote.units[i + 1] = shorten(units[i + 1].text, EXCERPT_CHARS, keep_links=True)


def _short_label(label: str) -> str:
    label = strip_emphasis(label)
    return label if len(label) <= 60 else label[:59].rstrip() + "…"
