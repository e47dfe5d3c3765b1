"""Answers without a language model: the sentences of the best passages that state the answer.

A sentence is chosen as a reader would: it shares the question's rarer words, and for a
question asking for a fact it has one (a number or a name). Lead-in lines ("使用モデル：") are
joined with the list they introduce; code, link stubs and HTML never become an answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from bot.core.answers import Lang
from bot.core.models import Chunk
from bot.core.phrases import phrase
from bot.core.shorten import shorten
from bot.core.structure import table_rows
from bot.core.text import sentences, strip_emphasis

Tokenize = Callable[[str], list[str]]
MAX_PASSAGES = 3
_EXCERPT_CHARS = 320
_DELIMITER_ROW = re.compile(r"^\s*\|?[\s:|-]+\|?\s*$")
_MARKERS = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)+")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_LEAD_IN = re.compile(r"[：:]\s*$")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_LINK_ONLY = re.compile(r"^\s*(?:\[[^\]]*\]\([^)]*\)\s*)+$|^\s*<?https?://\S+>?\s*$")
_DIGIT = re.compile(r"\d")
_NAME = re.compile(r"[A-Za-z][a-z0-9]*[A-Z0-9-][A-Za-z0-9-]*|[A-Z]{2,}")  # Qwen2, GPT-4, RAG
_SHORT = 50  # a chosen sentence this short takes its next sentence along
SPECIFIC_BONUS = 0.25
MAX_UNITS = 2  # sentences quoted per passage
UNIT_SHARE = 0.5  # a second sentence must score this share of the best one (dev half)


def extractive_answer(
    question: str,
    passages: Sequence[Chunk],
    *,
    lang: Lang,
    tokenize: Tokenize,
    intro: str,
    weights: Mapping[str, float] | None = None,
    specific: bool = False,
    title: str | None = None,
) -> tuple[str, list[Chunk]]:
    """Markdown bullets, one per passage (best first), each citing its ``[n]``; and the cited.

    ``title``: all passages are about this paper: it heads the answer, bullets name sections.
    """
    wanted = {t: (weights or {}).get(t, 1.0) for t in tokenize(question)}
    used = list(passages[:MAX_PASSAGES])
    lines = [phrase(intro, lang)]
    if title:
        lines.append(f"**{title}**")
    for n, chunk in enumerate(used, 1):
        section = chunk.heading.split(" > ")[-1] if chunk.heading else ""
        label = (section or chunk.source) if title else (chunk.paper or section or chunk.source)
        sentence = best_sentence(chunk, wanted, tokenize, specific=specific)
        lines.append(f"- **{_short_label(label)}**: {sentence} [{n}]")
    return "\n".join(lines), used


def _short_label(label: str) -> str:
    label = strip_emphasis(label)
    return label if len(label) <= 60 else label[:59].rstrip() + "…"


def best_sentence(
    chunk: Chunk, wanted: Mapping[str, float], tokenize: Tokenize, *, specific: bool = False
) -> str:
    """The unit sharing the most (rarity-weighted) question words; facts first when asked."""
    units = answer_units(chunk.body)
    if not units:
        return shorten(_clean(chunk.body), _EXCERPT_CHARS)
    total = sum(wanted.values()) or 1.0
    scores = []
    for i, unit in enumerate(units):
        score = sum(wanted[t] for t in set(tokenize(unit)) if t in wanted) / total
        if specific:
            score += SPECIFIC_BONUS * (bool(_DIGIT.search(unit)) + 0.5 * bool(_NAME.search(unit)))
        scores.append((score, -i))
    order = sorted(range(len(units)), key=lambda i: scores[i], reverse=True)
    best = order[0]
    floor = UNIT_SHARE * scores[best][0]
    chosen = [best] + [i for i in order[1:MAX_UNITS] if scores[i][0] >= floor > 0]
    if len(units[best]) < _SHORT and best + 1 < len(units) and scores[best + 1][0] > 0:
        chosen.append(best + 1)
    text = " ".join(units[i] for i in dict.fromkeys(chosen))  # best first
    return shorten(text, _EXCERPT_CHARS)


def answer_units(body: str) -> list[str]:
    """Sentences a reader could be told: lead-ins joined with their items, no code or stubs."""
    units: list[str] = []
    lines = readable_lines(body, keep_items=True)
    i = 0
    while i < len(lines):
        line = lines[i]
        if _LEAD_IN.search(line):
            items = []
            while i + 1 < len(lines) and _ITEM.match(lines[i + 1]):
                i += 1
                items.append(_ITEM.sub("", lines[i]))
            if items:
                units.append(f"{line.rstrip()} " + "、".join(items))
            i += 1
            continue  # a lead-in alone states nothing
        units.extend(s for s in sentences(_ITEM.sub("", line)) if not _LEAD_IN.search(s))
        i += 1
    return [u for u in units if len(u) > 3]


def readable_lines(body: str, *, keep_items: bool = False) -> list[str]:
    """Lines as a reader would say them: no Markdown markers, table rows as "a / b / c"."""
    lines = body.split("\n")
    readable: list[str] = []
    in_code = False
    for i, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~", "'''")):
            in_code = not in_code
            continue
        if in_code or not line.strip() or _DELIMITER_ROW.match(line) or _LINK_ONLY.match(line):
            continue
        if line.lstrip().startswith("|"):
            is_header = i + 1 < len(lines) and _DELIMITER_ROW.match(lines[i + 1])
            if not is_header:
                cells = [_clean(c) for row in table_rows([line]) for c in row]
                readable.append(" / ".join(c for c in cells if c))
            continue
        item = "- " if keep_items and _ITEM.match(line) else ""
        readable.append(item + _clean(_MARKERS.sub("", line)))
    return [line for line in readable if line.strip("- ")]


def _clean(text: str) -> str:
    """Emphasis and HTML tags gone ("M<sub>0</sub>" → "M0"), Markdown links as their text."""
    text = _HTML_TAG.sub("", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    return strip_emphasis(text)
