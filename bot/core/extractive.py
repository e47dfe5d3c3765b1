"""Answers without a language model: the sentences of the best passages that match the question."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.core.answers import Lang
from bot.core.models import Chunk
from bot.core.phrases import phrase
from bot.core.shorten import shorten
from bot.core.structure import table_rows
from bot.core.text import sentences, strip_emphasis

Tokenize = Callable[[str], list[str]]
MAX_PASSAGES = 3
_EXCERPT_CHARS = 220
_DELIMITER_ROW = re.compile(r"^\s*\|?[\s:|-]+\|?\s*$")
_MARKERS = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)+")


def extractive_answer(
    question: str, passages: Sequence[Chunk], *, lang: Lang, tokenize: Tokenize, intro: str
) -> tuple[str, list[Chunk]]:
    """Markdown bullets, one per passage (best first), each citing its ``[n]``; and the cited."""
    wanted = set(tokenize(question))
    used = list(passages[:MAX_PASSAGES])
    lines = [phrase(intro, lang)]
    for n, chunk in enumerate(used, 1):
        label = chunk.paper or chunk.heading.split(" > ")[-1] or chunk.source
        lines.append(f"- **{label}**: {best_sentence(chunk, wanted, tokenize)} [{n}]")
    return "\n".join(lines), used


def best_sentence(chunk: Chunk, wanted: set[str], tokenize: Tokenize) -> str:
    """The passage's sentence sharing most words with the question (the first on ties)."""
    candidates = [s for line in readable_lines(chunk.body) for s in sentences(line)]
    if not candidates:
        return shorten(chunk.body, _EXCERPT_CHARS)
    best = max(
        enumerate(candidates),
        key=lambda pair: (len(wanted & set(tokenize(pair[1]))), -pair[0]),
    )[1]
    return shorten(best, _EXCERPT_CHARS)


def readable_lines(body: str) -> list[str]:
    """Lines as a reader would say them: no Markdown markers, table rows as "a / b / c"."""
    lines = body.split("\n")
    readable: list[str] = []
    in_code = False
    for i, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
            continue
        if in_code or not line.strip() or _DELIMITER_ROW.match(line):
            continue
        if line.lstrip().startswith("|"):
            is_header = i + 1 < len(lines) and _DELIMITER_ROW.match(lines[i + 1])
            if not is_header:
                cells = [strip_emphasis(c) for row in table_rows([line]) for c in row]
                readable.append(" / ".join(c for c in cells if c))
            continue
        readable.append(strip_emphasis(_MARKERS.sub("", line)))
    return [line for line in readable if line]
