"""Votes into eval rows: `notesbot feedback --export` turns real use into `notesbot eval` data.

A 👍 answer becomes a row whose keys are the facts it stated and the notes can check: its
numbers and coined names ("28.4", "BLEU", "GPT-4o"), source the note it cited first. A 👎 one
is written as a `//` comment (eval skips those) with the question and answer, to review and
turn into a row by hand: what the right answer is, only the user knows.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from bot.core.answering.refusal import coined

_CITATION = re.compile(r"\[\d+\]")
_TERM = re.compile(
    r"(?<![\w.-])(?:\d+(?:[.,]\d+)*%?|[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)(?![\w-])"
)
_MAX_KEYS = 3


def facts_of(answer: str) -> list[str]:
    """The answer's checkable facts in the order it states them: numbers and coined names
    ("Transformer" is a word, "BLEU" and "GPT-4o" are names), at most three."""
    body = unicodedata.normalize("NFKC", _CITATION.sub(" ", answer))
    terms = (m.group(0) for m in _TERM.finditer(body))
    facts = [t for t in terms if coined(t) and (len(t) >= 2 or t.isdigit())]
    return list(dict.fromkeys(facts))[:_MAX_KEYS]


def export_lines(votes: Iterable[Mapping[str, Any]]) -> list[str]:
    """One JSON row per 👍 vote on a recorded answer; a `//` review line per 👎 one."""
    lines = []
    for n, vote in enumerate(votes, 1):
        if not vote.get("question"):
            continue  # a vote on an answer from before answers were recorded
        cited = vote.get("citations") or []
        source = cited[0]["source"] if cited else None
        if vote["vote"] == "up":
            row = {"id": f"feedback-{n}", "kind": "feedback", "q": vote["question"],
                   "source": source, "keys": facts_of(vote["answer"] or "")}
            lines.append(json.dumps(row, ensure_ascii=False))
        else:
            review = {"q": vote["question"], "answer": vote["answer"], "cited": source,
                      "mode": vote["mode"], "platform": vote["platform"],
                      "what_was_wrong": vote.get("note")}
            lines.append(f"// review (👎): {json.dumps(review, ensure_ascii=False)}")
    return lines
