"""What a model reads: the relevant sentences of each passage, within a token budget.

A small model on a CPU spends most of an answer reading its prompt (about 4,000 tokens of
whole passages took 22 s before the first token on 2 cores). Each passage is cut to the
sentences that match the question, with their neighbours for context, in the note's order,
and the whole stays under the budget.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from bot.core.answering.sentences import readable_lines
from bot.core.models import Chunk
from bot.core.text import sentences

Tokenize = Callable[[str], list[str]]
_NEIGHBOURS = 1  # sentences kept on each side of a matching one
_HEADER_TOKENS = 40
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
) -> str:
    """``[n] source › heading (paper, url)`` blocks with each passage's relevant sentences."""
    share = max(60, budget // max(1, len(passages)) - _HEADER_TOKENS)
    blocks = []
    for n, chunk in enumerate(passages, 1):
        section = chunk.heading.split(" > ")[-1] if chunk.heading else chunk.source
        if section == chunk.paper:
            section = ""
        where = " › ".join(part for part in (chunk.paper, section[:_SECTION_CHARS]) if part)
        header = f"[{n}] {where or chunk.source}" + (f" ({chunk.url})" if chunk.url else "")
        blocks.append(f"{header}\n{relevant_text(chunk, wanted, tokenize, share)}")
    return "\n\n".join(blocks)


def has_text(chunk: Chunk) -> bool:
    """Does the passage say anything a model could quote (not only a link or a code fence)?"""
    return bool(readable_lines(chunk.body))


def relevant_text(
    chunk: Chunk, wanted: Mapping[str, float], tokenize: Tokenize, budget: int
) -> str:
    """The passage's sentences that match the question, with neighbours, within ``budget``."""
    units = [s for line in readable_lines(chunk.body) for s in sentences(line)]
    if estimate_tokens(" ".join(units)) <= budget:
        return "\n".join(units)
    scores = [sum(wanted.get(t, 0.0) for t in set(tokenize(u))) for u in units]
    keep: set[int] = set()
    used = 0
    # Best-matching sentences first; with no match at all, the passage's opening.
    for i in sorted(range(len(units)), key=lambda i: (scores[i], -i), reverse=True):
        for j in range(max(0, i - _NEIGHBOURS), min(len(units), i + _NEIGHBOURS + 1)):
            cost = estimate_tokens(units[j])
            if j not in keep and (used + cost <= budget or not keep):
                keep.add(j)
                used += cost
        if used >= budget:
            break
    text = " … ".join(_runs([units[j] for j in sorted(keep)], sorted(keep)))
    return text if estimate_tokens(text) <= 2 * budget else text[:budget] + "…"  # one huge line


def _runs(texts: list[str], indexes: list[int]) -> list[str]:
    """Consecutive sentences joined; gaps between runs shown as "…"."""
    runs: list[str] = []
    for k, (text, index) in enumerate(zip(texts, indexes, strict=True)):
        if k and index == indexes[k - 1] + 1:
            runs[-1] = f"{runs[-1]} {text}"
        else:
            runs.append(text)
    return runs
