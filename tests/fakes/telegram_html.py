"""Telegram's HTML parse mode, checked as strictly as the real API checks it."""

from __future__ import annotations

import html
import re

_ALLOWED = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
    "code", "pre", "blockquote", "tg-emoji",
}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*)?)>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class HtmlError(ValueError):
    pass


def visible_text(text: str) -> str:
    """The text a user sees, or HtmlError where Telegram answers "can't parse entities"."""
    out: list[str] = []
    stack: list[str] = []
    position = 0
    for match in _TAG.finditer(text):
        out.append(_plain(text[position : match.start()], position))
        closing, name, attrs = match[1], match[2].lower(), match[3]
        if name not in _ALLOWED:
            raise HtmlError(f"Unsupported start tag \"{name}\" at byte offset {match.start()}")
        if closing:
            if not stack or stack[-1] != name:
                expected = stack[-1] if stack else ""
                raise HtmlError(
                    f"Unmatched end tag at byte offset {match.start()}, "
                    f"expected \"</{expected}>\", found \"</{name}>\""
                )
            stack.pop()
        else:
            if name == "a" and "href=" not in attrs:
                raise HtmlError("Can't find end tag corresponding to start tag \"a\"")
            stack.append(name)
        position = match.end()
    out.append(_plain(text[position:], position))
    if stack:
        raise HtmlError(f"Can't find end tag corresponding to start tag \"{stack[-1]}\"")
    return "".join(out)


def _plain(chunk: str, offset: int) -> str:
    if "<" in chunk or ">" in chunk:
        where = offset + min(i for i in (chunk.find("<"), chunk.find(">")) if i >= 0)
        raise HtmlError(f"Unexpected character at byte offset {where}")
    for match in re.finditer("&", chunk):
        if not _ENTITY.match(chunk, match.start()):
            raise HtmlError(f"Can't find end of the entity starting at byte offset "
                            f"{offset + match.start()}")
    return html.unescape(chunk)
