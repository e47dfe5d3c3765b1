"""Markdown (what models and notes write) to a chat platform's markup, via markdown-it tokens.

One walker, two dialects (Slack mrkdwn, Telegram HTML): headings become bold lines, nested
lists indented bullets, tables aligned monospace blocks (neither platform has tables), and
text is escaped the platform's way everywhere.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Protocol

from markdown_it import MarkdownIt
from markdown_it.token import Token

from bot.core.answers import Citation

_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])


class Dialect(Protocol):
    def escape(self, text: str) -> str: ...
    def mark(self, style: str, opening: bool) -> str: ...  # style: bold, italic, strike
    def code(self, text: str) -> str: ...
    def link(self, href: str, label: str) -> str: ...
    def block(self, text: str) -> str: ...  # preformatted, already plain
    def quote(self, text: str) -> str: ...  # already rendered


_STYLES = {
    "strong_open": ("bold", True), "strong_close": ("bold", False),
    "em_open": ("italic", True), "em_close": ("italic", False),
    "s_open": ("strike", True), "s_close": ("strike", False),
}


def render(markdown: str, dialect: Dialect) -> str:
    return _Walker(_PARSER.parse(markdown), dialect).render()


def citation_line(c: Citation, d: Dialect) -> str:
    """``[n] Paper title (linked) · note › section (L1–2)``: what source ``[n]`` is, and
    where in the notes. The heading's first part is the note's title: the paper's, or not."""
    parts = c.heading.split(" > ")
    section = parts[-1] if len(parts) > 1 else ""
    where = " › ".join(d.escape(part) for part in (c.source, section) if part)
    where += f" (L{c.line_start}–{c.line_end})"
    number = f"{d.mark('bold', True)}[{c.n}]{d.mark('bold', False)}"
    if c.url:
        return f"{number} {d.link(c.url, d.escape(c.paper or c.url))} · {where}"
    if c.paper:
        return f"{number} {d.escape(c.paper)} · {where}"
    return f"{number} {where}"


def render_inline(children: list[Token] | None, dialect: Dialect) -> str:
    out: list[str] = []
    links: list[tuple[str, int]] = []  # href, where its label starts
    for token in children or []:
        kind = token.type
        if kind == "text":
            out.append(dialect.escape(token.content))
        elif kind in _STYLES:
            out.append(dialect.mark(*_STYLES[kind]))
        elif kind == "code_inline":
            out.append(dialect.code(token.content))
        elif kind in ("softbreak", "hardbreak"):
            out.append("\n")
        elif kind == "link_open":
            links.append((str(token.attrGet("href") or ""), len(out)))
        elif kind == "link_close" and links:
            href, start = links.pop()
            label = "".join(out[start:]) or dialect.escape(href)
            del out[start:]
            out.append(dialect.link(href, label))
        elif kind in ("html_inline", "image"):
            out.append(dialect.escape(token.content))
    return "".join(out)


@dataclass
class _List:
    number: int | None  # next number of an ordered list; None for bullets


class _Walker:
    def __init__(self, tokens: list[Token], dialect: Dialect) -> None:
        self._tokens = tokens
        self._dialect = dialect
        self._lines: list[str] = []
        self._lists: list[_List] = []

    def render(self) -> str:
        i = 0
        while i < len(self._tokens):
            i = self._block(i)
        return "\n".join(self._lines).strip("\n")

    def _emit(self, text: str) -> None:
        if self._lines and self._lines[-1] != "" and not self._lists:
            self._lines.append("")  # blocks are separated by a blank line, list items not
        self._lines.extend(text.split("\n"))

    def _block(self, i: int) -> int:
        token, d = self._tokens[i], self._dialect
        kind = token.type
        if kind == "heading_open":
            self._emit(f"{d.mark('bold', True)}{self._inline(i + 1)}{d.mark('bold', False)}")
            return i + 3
        if kind == "paragraph_open":
            text = self._inline(i + 1)
            self._emit(self._list_item(text) if self._lists else text)
            return i + 3
        if kind in ("fence", "code_block"):
            self._emit(d.block(token.content.rstrip("\n")))
        elif kind in ("bullet_list_open", "ordered_list_open"):
            if not self._lists and self._lines and self._lines[-1] != "":
                self._lines.append("")  # a list starts a new block
            ordered = kind == "ordered_list_open"
            self._lists.append(_List(int(token.attrGet("start") or 1) if ordered else None))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self._lists.pop()
        elif kind == "blockquote_open":
            end = self._matching(i, "blockquote_open", "blockquote_close")
            inner = _Walker(self._tokens[i + 1 : end], d).render()
            self._emit(d.quote(inner))
            return end + 1
        elif kind == "hr":
            self._emit("―――")
        elif kind == "table_open":
            return self._table(i)
        elif kind == "html_block":
            self._emit(d.escape(token.content.rstrip("\n")))
        return i + 1

    def _inline(self, i: int) -> str:
        return render_inline(self._tokens[i].children, self._dialect)

    def _list_item(self, text: str) -> str:
        current = self._lists[-1]
        if current.number is None:
            marker = "•"
        else:
            marker = f"{current.number}."
            current.number += 1
        indent = "    " * (len(self._lists) - 1)
        first, *rest = text.split("\n")
        return "\n".join([f"{indent}{marker} {first}", *(f"{indent}   {line}" for line in rest)])

    def _matching(self, i: int, opening: str, closing: str) -> int:
        depth = 0
        for j in range(i, len(self._tokens)):
            depth += {opening: 1, closing: -1}.get(self._tokens[j].type, 0)
            if depth == 0:
                return j
        return len(self._tokens) - 1

    def _table(self, i: int) -> int:
        rows: list[list[str]] = []
        end = self._matching(i, "table_open", "table_close")
        for token in self._tokens[i:end]:
            if token.type == "tr_open":
                rows.append([])
            elif token.type == "inline" and rows:
                rows[-1].append("".join(
                    t.content for t in token.children or [] if t.type in ("text", "code_inline")
                ))
        self._emit(self._dialect.block("\n".join(aligned(rows))))
        return end + 1


def aligned(rows: list[list[str]]) -> list[str]:
    """Rows as monospace lines, columns padded to display width, a rule under the header."""
    if not rows:
        return []
    columns = max(len(row) for row in rows)
    rows = [row + [""] * (columns - len(row)) for row in rows]
    widths = [max(display_width(row[c]) for row in rows) for c in range(columns)]
    lines = [
        " | ".join(cell + " " * (widths[c] - display_width(cell)) for c, cell in enumerate(row))
        .rstrip()
        for row in rows
    ]
    if len(lines) > 1:
        lines.insert(1, "-+-".join("-" * w for w in widths))
    return lines


def display_width(text: str) -> int:
    """Columns on screen: full-width (Japanese) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
