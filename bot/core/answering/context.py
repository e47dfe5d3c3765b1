"""What a model reads: the best sentences of the answer's passages, within a token budget.

A small model on a CPU spends most of an answer reading its prompt (about 4,000 tokens of
whole passages took 22 s before the first token on 2 cores). So the prompt holds sentences,
not passages: all sentences of the passages compete, scored as an extractive answer scores
them (the question's words, facts, closeness in meaning, the passage's rank), and the best
fill the budget. Equal shares per passage cut the one sentence that answers when another
passage took the room (context recall 0.50 → see docs/benchmarks.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from bot.core.answering.quoting import scored_units
from bot.core.answering.sentences import readable_lines
from bot.core.models import Chunk

Tokenize = Callable[[str], list[str]]
SENTENCES = True
_SECTION_CHARS = 24  # "6. コストや物理的な詳細について。例えば…" says enough in its first words
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")


def estimate_tokens(text: str) -> int:
    """A model-agnostic upper estimate: a CJK character is up to two tokens in the byte-level
    vocabularies of small English-first models (measured: SmolLM2), Latin text about three
    characters a token."""
    cjk = sum(1 for ch in text if _CJK.match(ch))
    return 2 * cjk + (len(text) - cjk) // 3 + 1


def numbered_context(
    passages: Sequence[Chunk],
    *,
    budget: int,
    wanted: Mapping[str, float],
    tokenize: Tokenize,
    closeness: Mapping[str, float] | None = None,
) -> str:
    """``[n] paper › section (url)`` blocks, each with its chosen sentences in the note's
    order; ``[n]`` is the passage's position in ``passages`` (what citations refer to)."""
    scored = sorted(
        (
            (score, rank, i, text)
            for rank, chunk in enumerate(passages, 1)
            for i, text, score in scored_units(
                chunk, rank, wanted, tokenize, closeness or {}, sentences=SENTENCES
            )
        ),
        key=lambda item: (item[0], -item[1], -item[2]),
        reverse=True,
    )
    chosen: dict[int, dict[int, str]] = {}
    used = 0
    for _, rank, i, text in scored:
        text = _fit(text, budget // 2)  # one huge line never takes the whole budget
        taken = chosen.get(rank, {})
        if any(text in other or other in text for other in taken.values()):
            continue  # a lead-in with its items, and one of those items: one is enough
        cost = estimate_tokens(text) + (0 if rank in chosen else _header_cost(passages[rank - 1]))
        if used + cost > budget and chosen:
            continue
        chosen.setdefault(rank, {})[i] = text
        used += cost
    blocks = [
        f"{_header(rank, passages[rank - 1])}\n" + "\n".join(units[i] for i in sorted(units))
        for rank, units in sorted(chosen.items())
    ]
    return "\n\n".join(blocks)


def has_text(chunk: Chunk) -> bool:
    """Does the passage say anything a model could quote (not only a link or a code fence)?"""
    return bool(readable_lines(chunk.body))


def _header(n: int, chunk: Chunk) -> str:
    section = chunk.heading.split(" > ")[-1] if chunk.heading else chunk.source
    if section == chunk.paper:
        section = ""
    where = " › ".join(part for part in (chunk.paper, section[:_SECTION_CHARS]) if part)
    return f"[{n}] {where or chunk.source}" + (f" ({chunk.url})" if chunk.url else "")


def _header_cost(chunk: Chunk) -> int:
    return estimate_tokens(_header(0, chunk)) + 1


def _fit(text: str, tokens: int) -> str:
    if estimate_tokens(text) <= tokens:
        return text
    while text and estimate_tokens(text) > tokens:
        text = text[: int(len(text) * 0.8)]
    return text + "…"
