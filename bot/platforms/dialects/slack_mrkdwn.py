"""Slack mrkdwn: the Markdown dialect for Slack, and splitting text under Slack's limits."""

from __future__ import annotations

from bot.platforms.dialects.markdown import render
from bot.platforms.dialects.splitting import split

FENCE = "```"
_MARKS = {"bold": "*", "italic": "_", "strike": "~"}
_ZWSP = "\u200b"


def escape(text: str) -> str:
    """Slack wants exactly these three escaped, in text and in code alike."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SlackDialect:
    def escape(self, text: str) -> str:
        return escape(text)

    def mark(self, style: str, opening: bool) -> str:
        # Slack renders *強調* only at word boundaries, and Japanese has no spaces: a zero-width
        # space outside each marker makes the boundary ("LoRAは*低ランク*で" would show stars).
        return f"{_ZWSP}{_MARKS[style]}" if opening else f"{_MARKS[style]}{_ZWSP}"

    def code(self, text: str) -> str:
        return f"`{escape(text)}`"

    def link(self, href: str, label: str) -> str:
        return f"<{escape(href)}|{label}>"

    def block(self, text: str) -> str:
        return f"{FENCE}\n{escape(text)}\n{FENCE}"

    def quote(self, text: str) -> str:
        return "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))


def to_mrkdwn(markdown: str) -> str:
    return render(markdown, SlackDialect())


class _Fences:
    """Slack markup to keep balanced across pieces: an open ``` code block."""

    def start(self) -> bool:
        return False

    def after(self, in_fence: bool, line: str) -> bool:
        return not in_fence if line.startswith(FENCE) else in_fence

    def close(self, in_fence: bool) -> str:
        return f"\n{FENCE}" if in_fence else ""

    def reopen(self, in_fence: bool) -> str:
        return f"{FENCE}\n" if in_fence else ""

    def cut(self, line: str, room: int) -> int:
        space = line.rfind(" ", 0, room)
        return space if space > room // 2 else room


def split_text(text: str, limit: int) -> list[str]:
    """Pieces ≤ ``limit``; a code block cut in two is closed and reopened."""
    return split(text, limit, _Fences())
