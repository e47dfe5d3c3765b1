"""What in a passage can be quoted, as a reader would say it: its sentences and units.

Lead-in lines ("使用モデル：") are joined with the list they introduce, a table is also the roll
of its entries; code, link stubs and HTML never become an answer. Which units are quoted is
bot.core.answering.quoting's business; dense search stores the sentences (dense_texts).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.core.structure import table_rows
from bot.core.text import sentences, strip_emphasis

EXCERPT_CHARS = 260  # characters of one quoted unit
_DELIMITER_ROW = re.compile(r"^\s*\|?[\s:|-]+\|?\s*$")
_MARKERS = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)+")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
# Code outside fences ("x_t = add_noise(x_0, eps)  # ノイズ", "def f(a, b):"): no answer.
_CODE_LIKE = re.compile(
    r"^[A-Za-z_][\w.\[\]]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*[+\-*/]?=\s*[\w\[({'\"]"
    r"|^(?:def|class|return|import|from)\s+\w|^for\s+\w+\s+in\s"
)
_TAGS_ONLY = re.compile(r"^(?:#\S+\s*)+$")  # a tweet's hashtags say nothing alone
_SENTENCE_END = re.compile(r"[。．.!！?？]$")
_LABEL = 40  # characters: a list item this short without a sentence end labels its sub-items
_LEAD_IN = re.compile(r"[：:]\s*$|(?:以下|次)の.*[。:：]?\s*$|following.*[.:]\s*$")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_LINK_ONLY = re.compile(r"^\s*(?:\[[^\]]*\]\([^)]*\)\s*)+$|^\s*<?https?://\S+>?\s*$")
_WHOLE = 2_000  # characters of a passage without sentences embedded as one text


def sentence_texts(body: str) -> list[str]:
    """A passage's sentences as dense search stores them (each quotable unit is made of them)."""
    return line_texts(body, whole=lambda _: False)


def line_texts(body: str, whole: Callable[[str], bool]) -> list[str]:
    """A passage's lines, each one unit when ``whole`` says so (a bullet's sentences explain
    each other: "split 1000 classes into 2 groups. Each group has 500 classes."), else its
    sentences."""
    texts: list[str] = []
    for line in readable_lines(body):
        parts = [s for s in sentences(line) if len(s) > 3]
        texts.extend([line] if parts and whole(line) else parts)
    return texts


def dense_texts(body: str) -> list[str]:
    """What a passage is stored as for dense search: its sentences, or (code, a bare table)
    the start of its own text."""
    return sentence_texts(body) or [body[:_WHOLE]]


@dataclass(frozen=True, slots=True)
class Unit:
    """What may be quoted, and the words it is matched on (a table's header counts too)."""

    text: str
    match: str = ""

    @property
    def words(self) -> str:
        return self.match or self.text


def answer_units(body: str) -> list[str]:
    return [unit.text for unit in units_of(body)]


def units_of(body: str) -> list[Unit]:
    """Sentences a reader could be told: lead-ins joined with their items, a table or list as
    the roll of its entries, no code or stubs."""
    lines = readable_lines(body, keep_items=True)
    units: list[Unit] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        items, end = _items_under(lines, i)
        if items:
            lead = _ITEM.sub("", line).rstrip()
            units.append(Unit(_fit(lead, items), f"{lead} {' '.join(items)}"))
            # Each item alone too (with its lead-in's words): the answer may be one of them.
            units.extend(Unit(item, f"{lead} {item}") for item in items if len(items) > 1)
            i = end
            continue
        units.extend(Unit(s) for s in sentences(_ITEM.sub("", line)) if not _LEAD_IN.search(s))
        i += 1
    units.extend(_rolls(body))
    return [
        u for u in units
        if len(u.text) > 3 and not _TAGS_ONLY.match(u.text) and not _CODE_LIKE.search(u.text)
    ]


def _items_under(lines: list[str], i: int) -> tuple[list[str], int]:
    """The items a lead-in line introduces ("使用モデル：", or a bold label with sub-items)."""
    line = lines[i]
    depth = _depth(line)
    label = _ITEM.sub("", line).strip()
    is_label = _ITEM.match(line) and len(label) <= _LABEL and not _SENTENCE_END.search(label)
    if not (_LEAD_IN.search(line) or is_label):
        return [], i
    items, j = [], i + 1
    # A lead-in paragraph takes the list after it; a lead-in item only its own sub-items.
    same_level = bool(_LEAD_IN.search(line)) and not _ITEM.match(line)
    while j < len(lines) and _ITEM.match(lines[j]) and (
        _depth(lines[j]) > depth or (same_level and _depth(lines[j]) >= depth)
    ):
        items.append(_ITEM.sub("", lines[j]).strip())
        j += 1
    return items, j


def _fit(lead: str, items: list[str]) -> str:
    """The lead-in and as many of its items as fit an excerpt."""
    kept: list[str] = []
    for item in items:
        if len(lead) + sum(len(k) + 1 for k in kept) + len(item) + 1 > EXCERPT_CHARS:
            break
        kept.append(item)
    return f"{lead} {_join(kept or items[:1])}"


def _join(items: list[str]) -> str:
    """Items in one line: "、" between words, a space after a full sentence."""
    return "".join(
        item + ("" if i == len(items) - 1 else " " if _SENTENCE_END.search(item) else "、")
        for i, item in enumerate(items)
    )


def _depth(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _rolls(body: str) -> list[Unit]:
    """A table (or list) as the roll of its first cells (labels): the answer to "what … were
    there?"; matched on the header row (or the line introducing the list) and the labels."""
    table = [ln for ln in body.split("\n") if ln.lstrip().startswith("|")]
    rows = [r for r in table_rows(table) if r and not _DELIMITER_ROW.match("|".join(r))]
    if len(rows) >= 3:
        header, entries = rows[0], [clean(r[0]) for r in rows[1:] if r and clean(r[0])]
        if len(entries) >= 2:
            return [Unit("、".join(entries), " ".join([*header, *entries]))]
    labels = re.findall(r"^\s*(?:[-*+]|\d+[.)])\s+\*\*([^*]+)\*\*", body, re.M)
    if len(labels) >= 3:
        joined = "、".join(clean(label).rstrip("：: ") for label in labels)
        intro = body.split("\n", 1)[0]
        return [Unit(joined, f"{intro} {joined}")]
    return []


def readable_lines(body: str, *, keep_items: bool = False) -> list[str]:
    """Lines as a reader would say them: no Markdown markers, table rows as "a / b / c"."""
    lines = body.split("\n")
    readable: list[str] = []
    in_code = False
    for i, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~", "'''")):
            in_code = not in_code
            continue
        if in_code or not line.strip() or _DELIMITER_ROW.match(line) or _LINK_ONLY.match(line):
            continue
        if line.lstrip().startswith("|"):
            is_header = i + 1 < len(lines) and _DELIMITER_ROW.match(lines[i + 1])
            if not is_header:
                cells = [clean(c) for row in table_rows([line]) for c in row]
                readable.append(" / ".join(c for c in cells if c))
            continue
        item = " " * _depth(line) + "- " if keep_items and _ITEM.match(line) else ""
        readable.append(item + clean(_MARKERS.sub("", line)))
    return [line for line in readable if line.strip("- ")]


def clean(text: str) -> str:
    """Emphasis and HTML tags gone ("M<sub>0</sub>" → "M0"); links stay links."""
    return strip_emphasis(_HTML_TAG.sub("", text))
