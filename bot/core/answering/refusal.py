"""Answer, or say the notes do not cover it: a decision fitted on the dev questions.

No single relevance cutoff separates the cases (docs/benchmarks.md): paraphrased questions
share few words with the passage that answers them, while near-domain off-topic questions
("Whisper の学習データは何時間？") share many with the notes. Signals that do tell them apart:
- a *name* the notes never use (a paper, model or method the user has not noted), or do not
  use where the answer would come from;
- closeness in meaning: how close the notes' closest sentences come to the question, and how
  far that one stands out from the next ones (an off-topic question is equally far from all);
- for an English question over Japanese notes, the share of its words (through the
  glossary) the notes never use.
A logistic model per language weighs them (bench/fit_refusal.py fits it on the dev questions
only); without usable vectors the name rules and a word-overlap floor decide.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from bot.core.answering.quoting import MAX_PASSAGES, POOL
from bot.core.answering.sentences import dense_texts
from bot.core.answers import Lang
from bot.core.phrases import phrase
from bot.core.text import is_japanese

if TYPE_CHECKING:
    from bot.core.answering.evidence_record import Evidence

# A name as users write one: capitalized, all-caps or with digits ("Whisper", "GRPO", "GPT-4").
_NAME = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Z][A-Za-z0-9]*|[a-z]+[A-Z0-9][A-Za-z0-9]*)(?:-[A-Za-z0-9]+)*"
)
_LATIN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")
# English capitalizes more than names (sentence starts, "June", "I"): there a name is coined.
_COINED = re.compile(r"[A-Z].*[A-Z0-9]|[a-z][A-Z0-9]|[0-9]")
# Below this share of its words in any passage the notes say nothing about a question
# (measured on the eval's dev half; the old single cutoff was 0.30).
MIN_RELEVANCE = 0.1


def coined(word: str) -> bool:
    """A made-up name ("BLEU", "GPT-4o", "scMMGPT", "28.4"), not a capitalized word."""
    return bool(_COINED.search(word))


def names_in(question: str) -> set[str]:
    """Lower-cased name words of the question: in Japanese any Latin word, in English only
    coined ones ("GRPO", "GPT-4", "MatFormer")."""
    if is_japanese(question):  # a Latin word in Japanese text is a name or a term
        words = {w for w in _LATIN.findall(question) if len(w) >= 3}
    else:
        words = {w for w in _NAME.findall(question) if len(w) >= 3 and coined(w)}
    return {part.lower() for w in words for part in w.split("-") if len(part) >= 2}


def name_forms(name: str, tokenize: Callable[[str], list[str]]) -> list[str]:
    """The search tokens a name may take in the notes. The singular is tried too: Sudachi
    turns a known English word into katakana before any plural folding ("Windows" →
    ウィンドウズ, while the notes say ウィンドウ)."""
    forms = tokenize(name)
    if name.endswith("s") and len(name) > 3:
        forms += tokenize(name[:-1])
    return forms


def unknown_names(names: Mapping[str, Sequence[str]], doc_freqs: Mapping[str, int]) -> set[str]:
    """Names (with their search-token forms, see name_forms) that no passage uses."""
    return {
        name for name, forms in names.items() if forms and not any(doc_freqs.get(f) for f in forms)
    }


def names_missing(question: str, quoted: str) -> bool:
    """The question names something (GPU, BERT) that none of the passages to quote mention.
    A name inside a coined word counts ("GPT" in "NanoGPT")."""
    names = names_in(question)
    if not names:
        return False
    text = unicodedata.normalize("NFKC", quoted).lower()
    return not any(n in text or n.removesuffix("s") in text for n in names)


NEIGHBOURS = 100  # closest sentences of the whole index read for the dense signals
# bench/fit_refusal.py on the dev questions (answers_eval dev half, answers_dev2, answers_dev3).
MODELS: dict[str, tuple[float, dict[str, float]]] = {
    "ja": (-59.130, {"relevance": 0.779, "dense_max": 35.246, "k_top1": 33.024,
                     "k_spread": -20.680, "unknown_name": -2.102, "name_missing": -0.838,
                     "focus": 1.161}),
    "en": (-2.528, {"relevance": 4.832, "k_spread": 58.896, "unknown_name": -1.628,
                    "name_missing": -1.024, "focus": 1.353, "unseen": -2.501}),
}


def dense_features(quoted: Sequence[float], neighbours: Sequence[float]) -> dict[str, float]:
    """``quoted``: the question's cosines to the sentences an answer would quote from;
    ``neighbours``: to the index's closest sentences, closest first. {} if none known."""
    if not quoted or not neighbours:
        return {}
    return {
        "dense_max": max(quoted),
        "k_top1": neighbours[0],
        "k_spread": neighbours[0] - sum(neighbours) / len(neighbours),
    }


def unseen_share(weights: Mapping[str, float], doc_freq: Mapping[str, int]) -> float:
    """Share of the question's (weighted) words, glosses included, that no passage uses."""
    total = sum(weights.values())
    missing = sum(w for token, w in weights.items() if not doc_freq.get(token, 0))
    return missing / total if total > 0 else 0.0


def answer_score(features: Mapping[str, float]) -> float | None:
    """The fitted model's log-odds that the notes answer; None without dense features."""
    if "dense_max" not in features:
        return None
    bias, weights = MODELS["en" if features.get("en") else "ja"]
    return bias + sum(w * features.get(name, 0.0) for name, w in weights.items())


def should_answer(features: Mapping[str, float], min_relevance: float = MIN_RELEVANCE) -> bool:
    if features.get("named", 0.0):
        return True  # the question names a paper of the notes
    score = answer_score(features)
    if score is not None:
        return score > 0.0
    if features.get("unknown_name", 0.0) or features.get("name_missing", 0.0):
        return False  # about a name the notes never use, or do not use where they'd answer
    return features.get("relevance", 0.0) >= min_relevance


def not_found_reply(evidence: Evidence | None, lang: Lang) -> str:
    """The honest reply; for a near-domain question, the papers the notes do have nearby."""
    text = phrase("not_found", lang)
    if evidence is None or not evidence.unknown:
        return text
    titles = list(dict.fromkeys(h.chunk.paper for h in evidence.hits if h.chunk.paper))[:3]
    if not titles:
        return text
    return "\n".join([text, "", phrase("closest_papers", lang), *(f"- {t}" for t in titles)])


def decision_features(evidence: Evidence, neighbours: list[float]) -> dict[str, float]:
    """What the answer-or-"not found" decision reads (bot.core.answering.refusal)."""
    quoted = " ".join(c.text for c in evidence.passages[:MAX_PASSAGES])
    close = evidence.question_closeness
    pooled = [close[s] for c in evidence.passages[:POOL] for s in dense_texts(c.body) if s in close]
    return {
        "relevance": max((h.relevance for h in evidence.hits), default=0.0),
        "named": float(bool(evidence.named or evidence.follows)),
        "unknown_name": float(bool(evidence.unknown)),
        "name_missing": float(names_missing(evidence.question, quoted)),
        "focus": float(not evidence.focus.is_open and not evidence.focus.alone),
        "en": float(not is_japanese(evidence.question)),
        "unseen": unseen_share(evidence.weights, evidence.doc_freq),
        **dense_features(pooled, neighbours),
    }

