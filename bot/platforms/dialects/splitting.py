"""Cut rendered text into messages under a size limit, keeping markup balanced.

Cuts fall on line boundaries when possible; a line too long for a message is cut where the
platform allows (between words, outside tags and entities). Whatever markup is open at a cut
(a code fence, HTML tags) is closed at the end of one piece and reopened at the next, so each
piece renders on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

S = TypeVar("S")


class Markup(Protocol, Generic[S]):
    def start(self) -> S: ...
    def after(self, state: S, line: str) -> S: ...  # the state once ``line`` is added
    def close(self, state: S) -> str: ...  # what ends a piece cut in this state
    def reopen(self, state: S) -> str: ...  # what starts the next piece
    def cut(self, line: str, room: int) -> int: ...  # where an overlong line may be cut


def split(text: str, limit: int, markup: Markup[S]) -> list[str]:
    pieces: list[str] = []
    current, fresh = "", True
    state = markup.start()
    for joiner, line in _segments(text, limit // 2, markup.cut):
        after = markup.after(state, line)
        if not fresh and len(current) + len(joiner) + len(line) + len(markup.close(after)) > limit:
            pieces.append(current + markup.close(state))
            current, fresh = markup.reopen(state), True
        current += line if fresh else joiner + line
        fresh, state = False, after
    pieces.append(current)
    return [piece.strip("\n") for piece in pieces if piece.strip()]


def _segments(text: str, room: int, cut: Callable[[str, int], int]) -> list[tuple[str, str]]:
    """(joiner, segment) pairs: a segment continuing a cut line joins with "", a line "\\n"."""
    out: list[tuple[str, str]] = []
    for line in text.split("\n"):
        joiner = "\n"
        while len(line) > room:
            at = cut(line, room)
            out.append((joiner, line[:at]))
            line, joiner = line[at:], ""
        out.append((joiner, line))
    return out


def snippet(text: str, limit: int = 280) -> str:
    """A passage on one line, cut with an ellipsis: what a search hit shows."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
