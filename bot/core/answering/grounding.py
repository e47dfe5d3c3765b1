"""Is a model's answer supported by the passages it cites? If not, the user never reads it.

Weak local models ignore the passages and write fluent inventions ("Block Diffusion is … inspired
by decision trees"). An answer is shown only when it cites a passage, most of its sentences
share enough words with the passages given, and every number, arXiv id and name it states
occurs in them. Otherwise the extractive answer is shown, marked as such.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.core.answering.citations import check_citations
from bot.core.answering.glossary import GENERAL
from bot.core.answers import Answer, Citation, Lang
from bot.core.models import Chunk
from bot.core.text import is_japanese, sentences

Tokenize = Callable[[str], list[str]]
MIN_OVERLAP = 0.4  # share of a sentence's words found in the passages (measured: see docs)
MIN_SUPPORTED = 0.5  # share of the answer's sentences that must reach it
_MIN_SENTENCE_WORDS = 3
_CITATION = re.compile(r"[\[［]\s*[0-9０-９][0-9０-９,，、\s]*[\]］]")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?:\s*[%％])?")
_NAME = re.compile(r"(?<![\w-])(?:[A-Z][a-z]*[A-Z0-9][\w-]*|[A-Z]{2,}[\w-]*)")
_TRIVIAL_NUMBERS = {str(n) for n in range(0, 11)}
_URL = re.compile(r"https?://\S+")
_ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z-]+")


@dataclass(frozen=True, slots=True)
class Grounding:
    supported: bool
    reason: str = ""


def check_grounding(
    text: str, cited: Sequence[int], passages: Sequence[Chunk], tokenize: Tokenize
) -> Grounding:
    """``cited``: the passage numbers the answer cites (after the citation check)."""
    if not cited:
        return Grounding(False, "the answer cites no passage")
    source = "\n".join(f"{c.paper or ''} {c.url or ''}\n{c.text}" for c in passages)
    plain = _URL.sub(" ", _CITATION.sub(" ", text))  # links were checked with the citations
    invented = _invented(plain, source)
    if invented:
        return Grounding(False, f"states what no passage says: {', '.join(invented[:3])}")
    known = set(tokenize(source))
    # The sentences that claim support ([n]) must have it; connectives ("詳しくは…を参照") need
    # none, and an English sentence over Japanese notes is judged by its facts only.
    cited_sentences = [_CITATION.sub(" ", s) for s in sentences(text) if _CITATION.search(s)]
    judged = [s for s in cited_sentences if is_japanese(s) or not is_japanese(source)]
    overlaps = [_overlap(_URL.sub(" ", s), known, tokenize) for s in judged]
    scored = [share for share in overlaps if share is not None]
    if scored and sum(share >= MIN_OVERLAP for share in scored) < MIN_SUPPORTED * len(scored):
        return Grounding(False, "most sentences share too little with the passages")
    return Grounding(True)


def _overlap(sentence: str, known: set[str], tokenize: Tokenize) -> float | None:
    """Share of the sentence's words the passages use; an English term also counts when its
    Japanese gloss does. (A whole English sentence over Japanese notes is not judged by words:
    translation shares too few; its numbers and names still are.)"""
    english = {w.lower() for w in _ENGLISH_WORD.findall(sentence) if tokenize(w)}  # no "the"
    rest = set(tokenize(_ENGLISH_WORD.sub(" ", sentence)))
    total = len(rest) + len(english)
    if total < _MIN_SENTENCE_WORDS:
        return None  # too short to judge ("以上です。")
    found = len(rest & known)
    for word in english:
        forms = set(tokenize(word)) | set(tokenize(GENERAL.get(word, "")))
        found += bool(forms & known)
    return found / total


def _invented(text: str, source: str) -> list[str]:
    """Numbers and names the answer states that occur in no passage."""
    haystack = _norm(source)
    found = [n.strip() for n in _NUMBER.findall(text) if n.strip() not in _TRIVIAL_NUMBERS]
    found += _NAME.findall(text)
    return [
        item
        for item in dict.fromkeys(found)
        if _norm(item) not in haystack and _norm(item.removesuffix("s")) not in haystack
    ]


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().replace(" ", "")


def checked_answer(
    text: str, question: str, passages: list[Chunk], lang: Lang, tokenize: Tokenize
) -> tuple[Answer, Grounding]:
    """The model's answer with its citations checked (``[n]`` is ``passages[n - 1]``), and
    whether the passages support it."""
    checked = check_citations(text, passages)
    citations = tuple(Citation.of(n, passages[old - 1]) for n, old in enumerate(checked.cited, 1))
    notes = [f"removed citation [{n}]: no such passage" for n in checked.removed_refs]
    notes += [f"removed unverified link {link}" for link in checked.removed_links]
    grounding = check_grounding(checked.text, checked.cited, passages, tokenize)
    answer = Answer(question, checked.text, citations, "llm", lang, True, tuple(notes))
    return answer, grounding
