"""Fit the "not found" model (bot.core.answering.refusal.MODELS) on the dev questions only.

Answers each dev question's evidence with the real pipeline, reads the features the decision
uses, and fits one class-balanced logistic regression per question language (Japanese,
English) on the questions that name no paper of the notes (those are always answered). Prints
the fitted weights, a 5-fold cross-validated refusal rate and false-refusal rate, and the
same on the test half, which it never fits on.

    .venv/bin/notesbot ingest --notes-dir ../shared/notes --data-dir /tmp/nb
    .venv/bin/python bench/fit_refusal.py --data-dir /tmp/nb
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bot.app.compose import build_runtime  # noqa: E402
from bot.app.settings import Settings  # noqa: E402
from bot.core.evaluation.retrieval import EvalCase, load_cases  # noqa: E402

DATA = ROOT / "tests" / "data"
DEV = [("answers_eval.jsonl", "dev"), ("answers_dev2.jsonl", "dev"), ("answers_dev3.jsonl", "dev")]
TEST = [("answers_eval.jsonl", "test")]
FEATURES = {
    "ja": ["relevance", "dense_max", "k_top1", "k_spread", "unknown_name", "name_missing", "focus"],
    "en": ["relevance", "k_spread", "unknown_name", "name_missing", "focus", "unseen"],
}


def cases(files: list[tuple[str, str]]) -> list[EvalCase]:
    found = []
    for name, split in files:
        rows = load_cases((DATA / name).read_text(encoding="utf-8").splitlines())
        found += [c for c in rows if c.split == split and c.kind != "list"]
    return found


async def features(settings: Settings, questions: list[EvalCase]) -> list[dict[str, float]]:
    runtime = build_runtime(settings)
    try:
        rows = []
        for case in questions:
            evidence = await runtime.assistant.answerer.evidence(case.q, case.history)
            rows.append({**evidence.features, "y": float(case.answerable)})
        return rows
    finally:
        runtime.close()


def fit(
    x: np.ndarray, y: np.ndarray, l2: float = 0.05, steps: int = 4000
) -> tuple[np.ndarray, float]:
    """Class-balanced logistic regression by gradient descent on standardized features;
    the weights are returned for the raw features."""
    mean, spread = x.mean(0), x.std(0) + 1e-9
    z, w, b = (x - mean) / spread, np.zeros(x.shape[1]), 0.0
    balance = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        g = (p - y) * balance
        w -= 0.5 * (z.T @ g / len(y) + l2 * w)
        b -= 0.5 * float(g.mean())
    return w / spread, b - float((w / spread) @ mean)


def matrix(rows: list[dict[str, float]], names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    x = np.array([[row.get(n, 0.0) for n in names] for row in rows])
    return x, np.array([row["y"] for row in rows])


def rates(rows: list[dict[str, float]], names: list[str], w: np.ndarray, b: float) -> str:
    x, y = matrix(rows, names)
    answered = (x @ w + b > 0) | np.array([row.get("named", 0.0) > 0 for row in rows])
    off, on = y == 0, y == 1
    return (f"off-topic refused {(~answered & off).sum()}/{off.sum()}, "
            f"false refusals {(~answered & on).sum()}/{on.sum()}")


def cross_validated(rows: list[dict[str, float]], names: list[str]) -> str:
    folds = np.array_split(np.random.default_rng(0).permutation(len(rows)), 5)
    refused = offtopic = false = answerable = 0
    for fold in folds:
        held = set(fold.tolist())
        train = [r for i, r in enumerate(rows) if i not in held and not r.get("named")]
        w, b = fit(*matrix(train, names))
        x, y = matrix([rows[i] for i in fold], names)
        named = np.array([rows[i].get("named", 0.0) > 0 for i in fold])
        answered = (x @ w + b > 0) | named
        refused += int((~answered & (y == 0)).sum())
        offtopic += int((y == 0).sum())
        false += int((~answered & (y == 1)).sum())
        answerable += int((y == 1).sum())
    return f"off-topic refused {refused}/{offtopic}, false refusals {false}/{answerable}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="an index of ../shared/notes")
    args = parser.parse_args()
    settings = Settings(_env_file=None, data_dir=args.data_dir)
    dev = asyncio.run(features(settings, cases(DEV)))
    test = asyncio.run(features(settings, cases(TEST)))
    for lang, names in FEATURES.items():
        is_lang = (lambda r: r.get("en", 0.0) > 0) if lang == "en" else (lambda r: not r.get("en"))
        rows = [r for r in dev if is_lang(r)]
        w, b = fit(*matrix([r for r in rows if not r.get("named")], names))
        weights = ", ".join(f'"{n}": {v:.3f}' for n, v in zip(names, w, strict=True))
        print(f'"{lang}": ({b:.3f}, {{{weights}}}),')
        print(f"  dev, 5-fold: {cross_validated(rows, names)}")
        print(f"  test half:   {rates([r for r in test if is_lang(r)], names, w, b)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
