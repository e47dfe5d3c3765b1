"""The names a note gives a paper besides its title: "Chinchilla", "Gopher", "MCD".

Users ask for a paper by the name its note uses ("summary Chinchilla"), not by its title
("Training Compute-Optimal Large Language Models"). Found in the paper's own text only, in the
ways notes introduce a paper's name (not the many names a deep dive mentions):
- the abbreviation of the title's leading words: "Monte Carlo Diffusion（MCD）";
- a name in parentheses beside its venue: "2021, arXiv (Gopher)";
- on its own line or first paragraph, the name its summary opens with as the subject
  ("Universal Tokenizer が …を改善"), or what it proposes ("（Chinchilla Law）を提唱",
  "Chinchilla Scaling Law を提示", "proposes FooNet").
A name two papers claim names neither (bot.core.catalog drops it).
"""

from __future__ import annotations

import re

from bot.core.text import strip_emphasis, title_key

_WORD = r"[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*"
_CAPITAL = r"(?:[A-Z][A-Za-z0-9]*|[a-z]+[A-Z0-9][A-Za-z0-9]*)(?:[-.][A-Za-z0-9]+)*"
# Up to four words, each capitalized or coined: "Chinchilla Scaling Law", "bert2BERT".
_NAME = rf"{_CAPITAL}(?:[ \u00a0]{_CAPITAL}){{0,3}}"
_ABBREVIATION = re.compile(rf"({_NAME})\s*[(（]\s*({_WORD})\s*[)）]")
_EXPANSION = re.compile(rf"(?<![A-Za-z0-9])({_WORD})\s*[(（]\s*({_NAME})\s*[)）]")
_PARENTHESIZED = re.compile(rf"[(（]\s*({_NAME})\s*[)）]")
_SUBJECT = re.compile(rf"^\W*({_NAME})\s*(?:が|は)")
_PROPOSED = re.compile(
    rf"({_NAME})\s*(?:という|と呼ばれる)?[^\s、。]{{0,12}}?を(?:提唱|提案|提示|導入)"
    rf"|\b(?:propose[sd]?|introduce[sd]?|present(?:s|ed)?)\s+({_NAME})"
)
_NOT_A_NAME = re.compile(r"\bet al\b|^\d+$|^(?:[IVX]+|Fig|Table|Eq|Sec)\b", re.I)
# A name ending in one of these is also known by what comes before ("Chinchilla Law").
_GENERIC_TAIL = re.compile(
    r"\s+(?:scaling\s+laws?|laws?|models?|method|algorithm|framework|approach)$", re.I
)
_LEAD_LINES = 3  # a paper's own line and first paragraph: where it is introduced


def venue_nicknames(venue: str) -> list[str]:
    """Names in parentheses beside a paper's venue ("2021, arXiv (Gopher)")."""
    return _clean([m.group(1) for m in _PARENTHESIZED.finditer(strip_emphasis(venue))], "")


def nicknames(title: str, text: str) -> list[str]:
    """Names ``text`` (the paper's own lines, first line first) gives the paper ``title``."""
    text = strip_emphasis(text)
    lead = "\n".join([line for line in text.split("\n") if line.strip()][:_LEAD_LINES])
    found = _abbreviations(title, text)
    found += [m.group(1) for line in lead.split("\n") if (m := _SUBJECT.match(line.strip()))]
    found += [m.group(1) or m.group(2) for m in _PROPOSED.finditer(lead)]
    return _clean(found, title)


def _clean(found: list[str], title: str) -> list[str]:
    names: list[str] = []
    for name in found:
        names += [name, *([short] if (short := _GENERIC_TAIL.sub("", name)) != name else [])]
    title_words = set(title_key(title).split())
    return [
        name
        for name in dict.fromkeys(n.strip() for n in names)
        if len(name) >= 3
        and not _NOT_A_NAME.search(name)
        and not set(title_key(name).split()) <= title_words  # the title's own words
    ]


def _abbreviations(title: str, text: str) -> list[str]:
    """"Long Form (LF)" or "LF (Long Form)" where the long form opens the title (or its part
    after a colon): the paper's method, not a concept it mentions ("Small Language Models")."""
    openings = [f" {title_key(part)} " for part in (title, *title.split(":", 1)[1:])]
    found = []
    for pattern, long_group, short_group in ((_ABBREVIATION, 1, 2), (_EXPANSION, 2, 1)):
        for m in pattern.finditer(text):
            long_form = f" {title_key(m.group(long_group))} "
            short = m.group(short_group)
            if len(long_form.split()) >= 2 and _acronym(short) and any(
                opening.startswith(long_form) for opening in openings
            ):
                found.append(short)
    return found


def _acronym(word: str) -> bool:
    return sum(ch.isupper() for ch in word) >= 2 and len(word) <= 12
