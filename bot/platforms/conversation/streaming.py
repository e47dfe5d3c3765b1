"""Native streams append text and cannot take it back (Slack's chat.appendStream). Drafts
arrive as the whole text so far; what a stream needs is the part not yet sent, and to know
when the text changed under it (a model restarted, citations renumbered) so the final answer
replaces the message instead of extending it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, cast

from bot.core.answers import Answer
from bot.platforms.conversation.delivery import WriteFault
from bot.platforms.conversation.relay import CURSOR

if TYPE_CHECKING:
    from bot.platforms.conversation.outlet import Outlet

log = logging.getLogger(__name__)


class Appender:
    def __init__(self) -> None:
        self.sent = ""
        self.diverged = False

    def delta(self, text: str) -> str:
        """The new tail of ``text`` to append ("" when nothing new or when diverged)."""
        new = self.rest(text.removesuffix(CURSOR))
        if new is None:
            self.diverged = True
            return ""
        self.sent += new
        return new

    def rest(self, final: str) -> str | None:
        """What completes ``final`` after what was streamed, or None when the stream no
        longer matches it (then the message must be replaced)."""
        if self.diverged or not final.startswith(self.sent):
            return None
        return final[len(self.sent) :]


class NativeStream(Protocol):
    """A platform's own streaming of one answer (Slack chat streams, Telegram drafts). Its
    writes raise ``WriteFault``."""

    async def status(self, text: str) -> None:
        """Show that the answer is coming (a courtesy: only a refusal matters)."""

    def ready(self) -> bool:
        """May a draft be shown now? (No: skipped; the next one carries its text too.)"""
        ...

    async def show(self, delta: str, text: str) -> None:
        """Show more: ``delta`` is new since the last call, ``text`` all of it so far."""
        ...

    async def close(self, answer: Answer, rest: str | None) -> None:
        """The final answer: ``rest`` completes what was shown, or is None when what was
        shown is no prefix of it (then the answer replaces it). Repeated after a fault, it
        goes on from where it stopped."""
        ...

    async def abandon(self) -> str | None:
        """Stop streaming (best effort); the ref of the message shown so far, if any, for the
        classic path to edit into the answer."""
        ...

    async def notice(self, text: str) -> None: ...

    @property
    def feedback_ref(self) -> str | None: ...


class StreamOutlet:
    """An Outlet over a NativeStream. Streaming is an optimisation: the first fault of a
    stream call hands this answer to ``fallback()`` (post, then edit), and a permanent refusal
    is told to ``on_refused`` so later answers skip the stream. ``retry_close``: a failed
    close is retried as it is (Telegram's final message is a plain send) instead."""

    def __init__(
        self,
        stream: NativeStream,
        *,
        fallback: Callable[[], Outlet],
        on_refused: Callable[[WriteFault], None],
        retry_close: bool = False,
    ) -> None:
        self._stream, self._fallback_factory = stream, fallback
        self._on_refused, self._retry_close = on_refused, retry_close
        self._appender = Appender()
        self._fallback: Outlet | None = None
        self._ref: str | None = None  # the fallback's message, once there is one
        self._thinking = ""
        self._pages_done = 0

    async def start(self, text: str) -> str:
        self._thinking = text
        if self._fallback is None:
            try:
                await self._stream.status(text)
                return ""
            except WriteFault as fault:
                if not fault.refusal:
                    log.info("%s (status skipped)", fault)
                    return ""
                await self._leave(fault)
        await self._placeholder()
        return ""

    async def draft(self, ref: str, text: str) -> None:
        if self._fallback is not None:
            if self._ref is not None:
                await self._fallback.draft(self._ref, text)
            return
        if not self._stream.ready():
            return
        delta = self._appender.delta(text)
        if not delta:
            return
        try:
            await self._stream.show(delta, self._appender.sent)
        except WriteFault as fault:
            await self._leave(fault)
            await self._placeholder()

    async def _leave(self, fault: WriteFault) -> None:
        log.warning("%s; this answer goes on without streaming", fault)
        if fault.refusal:
            self._on_refused(fault)
        self._fallback = self._fallback_factory()
        self._ref = await self._stream.abandon()

    def _fallback_outlet(self) -> Outlet:
        assert self._fallback is not None
        return self._fallback

    async def _placeholder(self) -> str:
        """The fallback's message: the abandoned stream's, else a new "looking…" post."""
        self._ref = self._ref or await self._fallback_outlet().start(self._thinking)
        return self._ref

    def pages(self, ref: str, answer: Answer) -> Sequence[object]:
        return [answer]

    async def replace(self, ref: str, page: object) -> None:
        """The final answer; repeated after a fault, it goes on from where it stopped."""
        answer = cast(Answer, page)
        if self._fallback is None:
            try:
                return await self._stream.close(answer, self._appender.rest(answer.text))
            except WriteFault as fault:
                if self._retry_close and not fault.refusal:
                    raise
                await self._leave(fault)
        fallback, ref = self._fallback_outlet(), await self._placeholder()
        first, *more = fallback.pages(ref, answer)
        if self._pages_done == 0:
            await fallback.replace(ref, first)
            self._pages_done = 1
        for extra in more[self._pages_done - 1 :]:
            await fallback.add(extra)
            self._pages_done += 1

    async def add(self, page: object) -> None:
        """The answer as new messages (its first message could not be delivered in place)."""
        fallback = self._fallback or self._fallback_factory()
        self._fallback = fallback
        for extra in fallback.pages("", cast(Answer, page)):
            await fallback.add(extra)

    async def discard(self, ref: str) -> None:
        if self._fallback is not None and self._ref:
            await self._fallback.discard(self._ref)

    @property
    def feedback_ref(self) -> str | None:
        source = self._fallback if self._fallback is not None else self._stream
        return source.feedback_ref

    async def notice(self, ref: str | None, text: str) -> None:
        if self._fallback is not None:
            await self._fallback.notice(self._ref, text)
        else:
            await self._stream.notice(text)
