"""Answer, or say the notes do not cover it: a decision measured on the eval's dev half.

No single relevance cutoff separates the cases (docs/benchmarks.md): paraphrased questions
share few words with the passage that answers them, while near-domain off-topic questions
("Whisper の学習データは何時間？") share many with the notes. What the off-topic ones have
is a *name* the notes never use: a paper, model or method the user has not noted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from bot.core.text import is_japanese

# A name as users write one: capitalized, all-caps or with digits ("Whisper", "GRPO", "GPT-4").
_NAME = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Z][A-Za-z0-9]*|[a-z]+[A-Z0-9][A-Za-z0-9]*)(?:-[A-Za-z0-9]+)*"
)
# English capitalizes more than names (sentence starts, "June", "I"): there a name is coined.
_LATIN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")
_COINED = re.compile(r"[A-Z].*[A-Z0-9]|[a-z][A-Z0-9]|[0-9]")
MIN_RELEVANCE = 0.1  # below this the notes share (almost) nothing with the question


def names_in(question: str) -> set[str]:
    """Lower-cased name words of the question: in Japanese any Latin word, in English only
    coined ones ("GRPO", "GPT-4", "MatFormer")."""
    if is_japanese(question):  # a Latin word in Japanese text is a name or a term
        words = {w for w in _LATIN.findall(question) if len(w) >= 3}
    else:
        words = {w for w in _NAME.findall(question) if len(w) >= 3 and _COINED.search(w)}
    return {part.lower() for w in words for part in w.split("-") if len(part) >= 2}


def name_forms(name: str, tokenize: Callable[[str], list[str]]) -> list[str]:
    """The search tokens a name may take in the notes (plural "GPUs" also as "GPU")."""
    forms = tokenize(name)
    if name.endswith("s") and len(name) > 3:
        forms += tokenize(name[:-1])
    return forms


def unknown_names(
    question: str, tokenize: Callable[[str], list[str]], doc_freqs: Mapping[str, int]
) -> set[str]:
    """Names in the question that no passage of the notes uses (in any of their forms)."""
    return {
        name
        for name in names_in(question)
        if (forms := name_forms(name, tokenize)) and not any(doc_freqs.get(f) for f in forms)
    }


def should_answer(features: Mapping[str, float]) -> bool:
    if features.get("named", 0.0):
        return True  # the question names a paper of the notes
    if features.get("unknown_name", 0.0) or features.get("name_missing", 0.0):
        return False  # about a name the notes never use, or do not use where they'd answer
    return features.get("relevance", 0.0) >= MIN_RELEVANCE
