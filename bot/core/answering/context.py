"""What a model reads: the best sentences of the answer's passages, within a token budget.

A small model on a CPU spends most of an answer reading its prompt (about 4,000 tokens of
whole passages took 22 s before the first token on 2 cores). So the prompt holds sentences,
not passages: all sentences of the passages compete, scored as an extractive answer scores
them (the question's words, facts, closeness in meaning, the passage's rank), and the best
fill the budget. Equal shares per passage cut the one sentence that answers when another
passage took the room (context recall 0.50 → see docs/benchmarks.md).

A larger budget reads more passages, not longer ones: the answer's own ranking first, then
the search's fused ranking (which still holds the answer when the answer's paper was
mistaken), without duplicates. Blocks go best first and second best last: models read the
ends of a long prompt better than its middle.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.answering.answer_sentences import Asked
from bot.core.answering.quoting import scored_units
from bot.core.answering.sentences import readable_lines
from bot.core.models import Chunk

SMALL_POOL = 6  # passages a small prompt draws from (what the answer's ranking puts first)
TOKENS_PER_PASSAGE = 200  # a larger budget draws from one more passage per this many tokens
MAX_POOL = 20  # the fused ranking holds the answering passage in its top 20 for 0.93–0.99
# Against 20 passages, the rank counts more than in a quote of 6 (0.3, in the shipped answer-
# sentence weights): dev context recall at 4,000 tokens 0.859 → 0.891 (formats_dev), 0.978 →
# 0.978 (answers_dev2). Set for the shipped weights' scale: retune it with new weights.
WIDE_RANK_PRIOR = 1.0
# A wide context reads a short line whole, as a sentence window: "split 1000 classes into 2
# groups." is what matches, "Each group has 500 classes." what answers.
WIDE_LINE_TOKENS = 80
_SECTION_CHARS = 24  # "6. コストや物理的な詳細について。例えば…" says enough in its first words
# A wide context has room for whole headings: some notes write their findings as headings
# ("##### …PointFusionとVoxelFusionを提案した。"), which a cut would lose.
_WIDE_SECTION_CHARS = 100
_WIDE_PATH = 2  # headings under the title a wide context's block names (the nearest ones)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")


@dataclass(frozen=True, slots=True)
class ModelContext:
    """The passages block of a prompt; its ``[n]`` is ``passages[n - 1]``."""

    text: str
    passages: list[Chunk]
    tokens: int  # estimated (see estimate_tokens)


def estimate_tokens(text: str) -> int:
    """A model-agnostic upper estimate: a CJK character is up to two tokens in the byte-level
    vocabularies of small English-first models (measured: SmolLM2), Latin text about three
    characters a token."""
    cjk = sum(1 for ch in text if _CJK.match(ch))
    return 2 * cjk + (len(text) - cjk) // 3 + 1


def pool_size(budget: int, cap: int = MAX_POOL) -> int:
    """How many passages' sentences compete for ``budget`` tokens."""
    return max(1, min(cap, max(SMALL_POOL, budget // TOKENS_PER_PASSAGE)))


def context_pool(ranked: Sequence[Chunk], fused: Sequence[Chunk], size: int) -> list[Chunk]:
    """``size`` distinct passages with text: the answer's top ``SMALL_POOL``, then the search's
    fused ranking, then the rest of the answer's ranking."""
    order = [*ranked[:SMALL_POOL], *fused, *ranked[SMALL_POOL:]]
    pool: list[Chunk] = []
    seen: set[str] = set()
    for chunk in order:
        key = " ".join(chunk.body.split())
        if chunk.id in seen or key in seen or not has_text(chunk):
            continue  # the same table pasted into two notes is read once
        seen.update((chunk.id, key))
        pool.append(chunk)
        if len(pool) == size:
            break
    return pool


def numbered_context(passages: Sequence[Chunk], *, budget: int, asked: Asked) -> ModelContext:
    """``[n] paper › section (url)`` blocks, each with its chosen sentences in the note's order,
    best block first, second best last, numbered as shown. A small context (``SMALL_POOL``
    passages) keeps its headers short: at 750 tokens, every word of a header is a word less
    of the notes."""
    wide = len(passages) > SMALL_POOL
    chosen = _choose(passages, budget, asked, wide)
    order = ends_first(sorted(chosen))
    shown = [passages[rank - 1] for rank in order]
    blocks = [
        "\n".join([_header(n, shown[n - 1], wide), *(units[i] for i in sorted(units))])
        for n, units in enumerate((chosen[rank] for rank in order), 1)
    ]
    text = "\n\n".join(blocks)
    return ModelContext(text, shown, estimate_tokens(text))


def ends_first(ranks: Sequence[int]) -> list[int]:
    """Best-first ranks laid out best first, second best last, the weakest in the middle."""
    head, tail = list(ranks[0::2]), list(ranks[1::2])
    return head + tail[::-1]


def _choose(
    passages: Sequence[Chunk], budget: int, asked: Asked, wide: bool
) -> dict[int, dict[int, str]]:
    """Passage rank → unit position → text: the best sentences of all passages in the budget."""
    prior = WIDE_RANK_PRIOR if wide else asked.scorer.rank_prior
    scored = sorted(
        (
            (score, rank, i, text)
            for rank, chunk in enumerate(passages, 1)
            for i, text, score in scored_units(
                chunk,
                rank,
                asked,
                sentences=True,
                whole_line=_short_line if wide else None,
                rank_prior=prior,
            )
        ),
        key=lambda item: (item[0], -item[1], -item[2]),
        reverse=True,
    )
    chosen: dict[int, dict[int, str]] = {}
    said: set[str] = set()
    used = 0
    for _, rank, i, text in scored:
        text = _fit(text, budget // 2)  # one huge line never takes the whole budget
        taken = chosen.get(rank, {})
        if text in said or any(text in other or other in text for other in taken.values()):
            continue  # a lead-in with its items and one of those items, or a repeat: once
        header = 0 if rank in chosen else estimate_tokens(_header(0, passages[rank - 1], wide))
        cost = estimate_tokens(text) + header
        if used + cost > budget and chosen:
            continue
        chosen.setdefault(rank, {})[i] = text
        said.add(text)
        used += cost
    return chosen


def _short_line(line: str) -> bool:
    return estimate_tokens(line) <= WIDE_LINE_TOKENS


def has_text(chunk: Chunk) -> bool:
    """Does the passage say anything a model could quote (not only a link or a code fence)?"""
    return bool(readable_lines(chunk.body))


def _header(n: int, chunk: Chunk, wide: bool) -> str:
    """``[n] paper › section (url)``; wide: ``[n] paper or note title › section › subsection``."""
    parts = [p.strip() for p in chunk.heading.split(" > ") if p.strip()] if chunk.heading else []
    title = chunk.paper or (parts[0] if wide and parts else "")
    if wide:
        path = [p for p in dict.fromkeys(parts) if p != title][-_WIDE_PATH:]
    else:
        path = [parts[-1]] if parts and parts[-1] != title else []
    cut = _WIDE_SECTION_CHARS if wide else _SECTION_CHARS
    where = " › ".join(part for part in [title, *(p[:cut] for p in path)] if part)
    return f"[{n}] {where or chunk.source}" + (f" ({chunk.url})" if chunk.url else "")


def _fit(text: str, tokens: int) -> str:
    if estimate_tokens(text) <= tokens:
        return text
    while text and estimate_tokens(text) > tokens:
        text = text[: int(len(text) * 0.8)]
    return text + "…"
