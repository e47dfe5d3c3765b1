"""Rank the passages of one paper (or note) for a question: words, section role, numbers.

Inside one paper every passage shares the title's words, so those say nothing: what is left of
the question ("学習に使った GPU は何枚") decides, together with the section the role model
says such words live in, and numbers when the question asks for a quantity.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from bot.core.answering.relevance import coverage
from bot.core.answering.sections import role_of
from bot.core.models import Chunk, Paper
from bot.core.roles import Role, section_role

# How many / how much / how long: the answer is a number. Question grammar, not topic words.
QUANTITY = re.compile(
    r"何\s*(?:[枚台個件人回日年倍層次点本種]|時間|週間|ヶ月|か月|GPU|パラメータ|トークン|%|％)"
    r"|いくつ|いくら|どれ\s*(?:くらい|ぐらい|程度|だけ)|どの\s*(?:くらい|ぐらい|程度)"
    r"|何\S{0,4}(?:数|量|規模|サイズ)|(?:数|量|規模|サイズ|時間|コスト|精度|スコア)は"
    r"|\bhow\s+(?:many|much|long|large|big|fast)\b|\bwhat\s+(?:size|number|score|accuracy)\b",
    re.I,
)
_DIGIT = re.compile(r"\d")
ROLE_WEIGHT = 0.05  # dev half: 0.05 and 0.1 tie on right answers, 0.05 has the better R@1
ASKED_ROLE_WEIGHT = 0.1
NUMBER_WEIGHT = 0.15
PRIOR_WEIGHT = 0.1
_FEW = 3
IDENTIFYING = 3.0  # a word this many times denser in the paper than overall names the paper


@dataclass(frozen=True, slots=True)
class Scored:
    chunk: Chunk
    score: float


def asking_words(
    tokens: Sequence[str],
    candidates: Sequence[tuple[Chunk, Sequence[str]]],
    doc_freq: Mapping[str, int],
    total: int,
) -> list[str]:
    """The words that ask (GPU, 学習, ステップ), not those that point at the paper (医療,
    エッジ, STaSC): a word far more common in this paper's passages than in the whole index
    identifies the paper and cannot tell its passages apart."""
    if len(candidates) < _FEW or total <= 0:
        return list(tokens)  # a paper of one or two passages: every word of it is "its own"
    sets = [set(chunk_tokens) for _, chunk_tokens in candidates]

    def concentration(token: str) -> float:
        local = sum(token in s for s in sets) / len(sets)
        overall = max(doc_freq.get(token, 0), 1) / total
        return local / overall

    asking = [t for t in tokens if concentration(t) < IDENTIFYING]
    return asking or list(tokens)


def residual_words(
    tokens: list[str], paper: Paper | None, tokenize: Callable[[str], list[str]]
) -> list[str]:
    """The question's words minus the focused paper's own title words."""
    if paper is None:
        return tokens
    title_words = {t for name in (paper.title, *paper.aliases) for t in tokenize(name)}
    return [t for t in tokens if t not in title_words] or tokens


def asks_quantity(question: str) -> bool:
    return bool(QUANTITY.search(question))


def rank_passages(
    candidates: Sequence[tuple[Chunk, Sequence[str]]],
    tokens: Sequence[str],
    *,
    weight: Callable[[str], float],
    roles: Mapping[str, float],
    quantity: bool,
    prior: Mapping[str, int] | None = None,
    asked_role: Role | None = None,
) -> list[Scored]:
    """Best first. ``tokens``: the question's words minus the paper's own title words.

    ``prior`` maps chunk ids to their rank in the search that found them; ``asked_role`` is
    the section the question's grammar asks for ("どんな手法？": the method). (Closeness in
    meaning was fitted here too, on the dev questions, and weighed 0: inside one paper the
    passages are all close to its question; it decides which sentences are quoted instead.)
    """
    prior = prior or {}
    local = _local_idf(candidates, tokens)
    scored = []
    for chunk, chunk_tokens in candidates:
        score = coverage(tokens, chunk_tokens, lambda t: weight(t) * local[t])
        score += ROLE_WEIGHT * roles.get(role_of(chunk.heading), 0.0)
        if asked_role is not None and section_role(chunk.heading) == asked_role:
            score += ASKED_ROLE_WEIGHT
        if quantity and _DIGIT.search(chunk.body):
            score += NUMBER_WEIGHT
        if chunk.id in prior:
            score += PRIOR_WEIGHT / prior[chunk.id]
        scored.append(Scored(chunk, score))
    return sorted(scored, key=lambda s: s.score, reverse=True)


def _local_idf(
    candidates: Sequence[tuple[Chunk, Sequence[str]]], tokens: Sequence[str]
) -> dict[str, float]:
    """Rarity among the candidates: a word in every passage of the paper ("STaSC") can't tell
    them apart, however rare it is in the whole index."""
    sets = [set(chunk_tokens) for _, chunk_tokens in candidates]
    n = len(sets)
    return {t: math.log(1.0 + (n + 0.5) / (sum(t in s for s in sets) + 0.5)) for t in tokens}
