"""Shorten a text to a character limit without cutting a word, a URL or a hashtag.

Whole sentences first (in order), then whole trailing hashtags that still fit; a first sentence
too long on its own is cut at a clause boundary (、，,;:) or else between words, with "…".
Lengths are Python characters (code points), the unit of "140字".
"""

from __future__ import annotations

import re

from bot.core.text import sentences

ELLIPSIS = "…"
# A URL ends before a closing bracket or Japanese punctuation: "(https://x/y)" keeps its ")".
_URL = re.compile(r"https?://[^\s)）\]>」』。、，]+")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^\s)]+)\)")
_EMPTY_PARENS = re.compile(r"\s*[(（]\s*[)）]")
_TRAILING_TAGS = re.compile(r"(?:\s+#[^\s#]+)+\s*$")
_CLAUSE_END = "、，,;；:："
# Characters that belong to one "word" in Japanese text: Latin letters, digits and the
# punctuation inside identifiers, numbers, URLs and hashtags. Never cut between two of them.
_WORD_CHAR = re.compile(r"[A-Za-z0-9_#@./:%+\-'’]")


def tidy(text: str, *, keep_links: bool = False) -> str:
    """Single spaces, trimmed lines; and unless ``keep_links``, no URLs (a summary shows its
    link on its own line): a Markdown link keeps its text, a bare URL goes with its brackets."""
    if not keep_links:
        text = _EMPTY_PARENS.sub("", _URL.sub("", _MD_LINK.sub(r"\1", text)))
    lines = [re.sub(r"[ \t\u3000]+", " ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line).strip()


def shorten(text: str, limit: int = 140, *, keep_links: bool = False) -> str:
    text = tidy(text, keep_links=keep_links)
    if len(text) <= limit:
        return text
    body, tags = split_trailing_hashtags(text)
    kept = ""
    for sentence in sentences(body):
        space = " " if kept and _needs_space(kept, sentence) else ""
        candidate = kept + space + sentence
        if len(candidate) > limit:
            break
        kept = candidate
    if not kept:
        kept = cut(body, limit)
    for tag in tags:
        if len(kept) + 1 + len(tag) <= limit:
            kept += " " + tag
    return kept


def split_trailing_hashtags(text: str) -> tuple[str, list[str]]:
    match = _TRAILING_TAGS.search(text)
    if not match:
        return text, []
    return text[: match.start()].rstrip(), match[0].split()


def cut(text: str, limit: int) -> str:
    """At most ``limit`` characters of ``text`` ending in "…", at a clause or word boundary."""
    room = limit - len(ELLIPSIS)
    head = text[:room]
    clause = max(head.rfind(mark) for mark in _CLAUSE_END)
    if clause >= room // 3:
        return head[:clause].rstrip() + ELLIPSIS
    for end in range(room, 0, -1):
        if _boundary(text, end):
            return text[:end].rstrip() + ELLIPSIS
    return ELLIPSIS


def _boundary(text: str, index: int) -> bool:
    """May the text be cut before ``text[index]``? Not inside a word, number, URL or tag."""
    if index >= len(text):
        return True
    before, after = text[index - 1], text[index]
    if before.isspace() or after.isspace():
        return True
    return not (_WORD_CHAR.match(before) and _WORD_CHAR.match(after))


def _needs_space(kept: str, sentence: str) -> bool:
    return kept[-1] in ".!?" and sentence[:1].isascii()
