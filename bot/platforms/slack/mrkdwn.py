"""Markdown (what models and notes write) to Slack mrkdwn, and splitting it under a limit.

Parsed with markdown-it, not regexes: `**bold**` → `*bold*`, `[t](u)` → `<u|t>`, headings →
bold lines, nested lists → indented bullets, tables → an aligned code block (Slack has no
tables), and `& < >` escaped everywhere as Slack requires.
"""

from __future__ import annotations

import unicodedata

from markdown_it import MarkdownIt
from markdown_it.token import Token

_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_INLINE = {
    "strong_open": "*", "strong_close": "*", "em_open": "_", "em_close": "_",
    "s_open": "~", "s_close": "~",
}
FENCE = "```"


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(markdown: str) -> str:
    return _Renderer(_PARSER.parse(markdown)).render()


def inline(children: list[Token] | None) -> str:
    out: list[str] = []
    href: list[str] = []
    for token in children or []:
        if token.type == "text":
            out.append(escape(token.content))
        elif token.type in _INLINE:
            out.append(_INLINE[token.type])
        elif token.type == "code_inline":
            out.append(f"`{escape(token.content)}`")
        elif token.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif token.type == "link_open":
            href.append(str(token.attrGet("href") or ""))
            out.append("\0")  # link text starts here
        elif token.type == "link_close":
            start = len(out) - 1 - out[::-1].index("\0")
            label = "".join(out[start + 1 :]) or escape(href[-1])
            del out[start:]
            out.append(f"<{escape(href.pop())}|{label}>")
        elif token.type in ("html_inline", "image"):
            out.append(escape(token.content))
    return "".join(out)


class _Renderer:
    def __init__(self, tokens: list[Token]) -> None:
        self._tokens = tokens
        self._lines: list[str] = []
        self._lists: list[list[int]] = []  # per open list: [next number] or [] for bullets
        self._quote = 0

    def render(self) -> str:
        i = 0
        while i < len(self._tokens):
            i = self._block(i)
        return "\n".join(self._lines).strip("\n")

    def _emit(self, text: str, *, blank_before: bool = True) -> None:
        if blank_before and self._lines and self._lines[-1] != "" and not self._lists:
            self._lines.append("")
        prefix = "> " * self._quote
        self._lines.extend(prefix + line for line in text.split("\n"))

    def _block(self, i: int) -> int:
        token = self._tokens[i]
        kind = token.type
        if kind == "heading_open":
            self._emit(f"*{inline(self._tokens[i + 1].children)}*")
            return i + 3
        if kind == "paragraph_open":
            text = inline(self._tokens[i + 1].children)
            self._emit(self._list_prefix(text) if self._lists else text)
            return i + 3
        if kind in ("fence", "code_block"):
            self._emit(f"{FENCE}\n{escape(token.content.rstrip(chr(10)))}\n{FENCE}")
        elif kind in ("bullet_list_open", "ordered_list_open"):
            if not self._lists and self._lines and self._lines[-1] != "":
                self._lines.append("")  # a list starts a new block
            start = int(token.attrGet("start") or 1)
            self._lists.append([start] if kind == "ordered_list_open" else [])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self._lists.pop()
        elif kind == "blockquote_open":
            self._quote += 1
        elif kind == "blockquote_close":
            self._quote -= 1
        elif kind == "hr":
            self._emit("―――")
        elif kind == "table_open":
            return self._table(i)
        elif kind == "html_block":
            self._emit(escape(token.content.rstrip("\n")))
        return i + 1

    def _list_prefix(self, text: str) -> str:
        depth = len(self._lists) - 1
        numbers = self._lists[-1]
        if numbers:
            marker = f"{numbers[0]}."
            numbers[0] += 1
        else:
            marker = "•"
        indent = "    " * depth
        lines = text.split("\n")
        return "\n".join([f"{indent}{marker} {lines[0]}", *(indent + "   " + x for x in lines[1:])])

    def _table(self, i: int) -> int:
        rows: list[list[str]] = []
        while self._tokens[i].type != "table_close":
            token = self._tokens[i]
            if token.type == "tr_open":
                rows.append([])
            elif token.type == "inline":
                rows[-1].append(_plain(token.children))
            i += 1
        widths = [max(_width(r[c]) for r in rows if c < len(r)) for c in range(len(rows[0]))]
        lines = [
            " | ".join(cell + " " * (widths[c] - _width(cell)) for c, cell in enumerate(row))
            for row in rows
        ]
        if len(lines) > 1:
            lines.insert(1, "-+-".join("-" * w for w in widths))
        self._emit(f"{FENCE}\n" + escape("\n".join(line.rstrip() for line in lines)) + f"\n{FENCE}")
        return i + 1


def _plain(children: list[Token] | None) -> str:
    return "".join(t.content for t in children or [] if t.type in ("text", "code_inline"))


def _width(text: str) -> int:
    """Display columns: full-width (Japanese) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def split_text(text: str, limit: int) -> list[str]:
    """Pieces ≤ ``limit`` cut at blank lines, then lines, then anywhere; a code block cut in
    two is closed and reopened so both pieces render."""
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    in_fence = False
    room = limit - len(FENCE) - 1  # space to close a fence
    for line in _short_lines(text, room):
        if current and size + len(line) + 1 > room:
            pieces.append("\n".join(current + ([FENCE] if in_fence else [])))
            current, size = ([FENCE] if in_fence else []), (len(FENCE) + 1 if in_fence else 0)
        current.append(line)
        size += len(line) + 1
        if line.startswith(FENCE):
            in_fence = not in_fence
    if current:
        pieces.append("\n".join(current))
    return [piece.strip("\n") for piece in pieces if piece.strip()]


def _short_lines(text: str, room: int) -> list[str]:
    lines: list[str] = []
    for line in text.split("\n"):
        while len(line) > room - len(FENCE) - 1:
            cut = line.rfind(" ", 0, room - len(FENCE) - 1)
            cut = cut if cut > room // 2 else room - len(FENCE) - 1
            lines.append(line[:cut])
            line = line[cut:].lstrip(" ")
        lines.append(line)
    return lines
