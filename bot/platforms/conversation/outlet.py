"""Where one answer goes: the writes a platform adapter offers the conversation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.core.answers import Answer


class Outlet(Protocol):
    """Where one answer goes, in the platform's dialect. ``ref`` names a posted message. Its
    writes raise ``WriteFault``; ``replace`` may be repeated after one (it edits in place, or
    goes on from where it stopped)."""

    async def start(self, text: str) -> str:
        """Post the placeholder; return its ref."""

    async def draft(self, ref: str, text: str) -> None: ...

    def pages(self, ref: str, answer: Answer) -> Sequence[object]:
        """The final answer, rendered: the placeholder becomes the first page."""

    async def replace(self, ref: str, page: object) -> None: ...

    async def add(self, page: object) -> None:
        """Post a page below (the answer's continuation, or all of it when no edit works)."""

    async def notice(self, ref: str | None, text: str) -> None:
        """A short plain message: in place of ``ref`` when given."""

    async def discard(self, ref: str) -> None:
        """Delete the placeholder ``ref`` (the answer went below it instead)."""

    @property
    def feedback_ref(self) -> str | None:
        """What a vote on the delivered answer will name (None: no vote possible)."""
