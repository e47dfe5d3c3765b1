"""Native streams append text and cannot take it back (Slack's chat.appendStream). Drafts
arrive as the whole text so far; what a stream needs is the part not yet sent, and to know
when the text changed under it (a model restarted, citations renumbered) so the final answer
replaces the message instead of extending it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Protocol, cast

from bot.core.answers import Answer
from bot.platforms.conversation.relay import CURSOR

if TYPE_CHECKING:
    from bot.platforms.conversation.service import Outlet


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
    """A platform's own streaming of one answer (Slack chat streams, Telegram drafts)."""

    async def status(self, text: str) -> None: ...

    def ready(self) -> bool:
        """May a draft be shown now? (No: skipped; the next one carries its text too.)"""
        ...

    async def show(self, delta: str, text: str) -> None:
        """Show more: ``delta`` is new since the last call, ``text`` all of it so far."""
        ...

    async def close(self, answer: Answer, rest: str | None) -> None:
        """The final answer: ``rest`` completes what was shown, or is None when what was
        shown is no prefix of it (then the answer replaces it)."""
        ...

    async def notice(self, text: str) -> None: ...

    @property
    def feedback_ref(self) -> str | None: ...


class StreamOutlet:
    """An Outlet over a NativeStream that turns into ``fallback()`` (the placeholder and
    edits) the moment the platform refuses to stream, and tells ``on_refused`` so."""

    def __init__(
        self,
        stream: NativeStream,
        *,
        fallback: Callable[[], Outlet],
        refused: Callable[[BaseException], bool],
        on_refused: Callable[[], None],
        final_is_send: bool = False,
    ) -> None:
        # Telegram persists a draft with a new message: not to be repeated like an edit.
        self.replaces_in_place = not final_is_send
        self._stream, self._fallback_factory = stream, fallback
        self._refused, self._on_refused = refused, on_refused
        self._appender = Appender()
        self._fallback: Outlet | None = None
        self._ref = ""
        self._thinking = ""

    async def start(self, text: str) -> str:
        self._thinking = text
        await self._guarded(self._stream.status(text))
        return ""

    async def draft(self, ref: str, text: str) -> None:
        if self._fallback is not None:
            return await self._fallback.draft(self._ref, text)
        if not self._stream.ready():
            return
        delta = self._appender.delta(text)
        if delta:
            await self._guarded(self._stream.show(delta, self._appender.sent))

    async def _guarded(self, call: Awaitable[None]) -> bool:
        """Run a stream call; False when the platform refused and the fallback took over."""
        try:
            await call
        except Exception as exc:
            if not self._refused(exc):
                raise
            self._on_refused()
            self._fallback = self._fallback_factory()
            self._ref = await self._fallback.start(self._thinking)
            return False
        return True

    def pages(self, ref: str, answer: Answer) -> Sequence[object]:
        return [answer]

    async def replace(self, ref: str, page: object) -> None:
        answer = cast(Answer, page)
        if self._fallback is None:
            rest = self._appender.rest(answer.text)
            if await self._guarded(self._stream.close(answer, rest)):
                return
        assert self._fallback is not None
        first, *more = self._fallback.pages(self._ref, answer)
        await self._fallback.replace(self._ref, first)
        for extra in more:
            await self._fallback.add(extra)

    async def add(self, page: object) -> None:
        raise AssertionError("a streamed answer is one message")

    @property
    def feedback_ref(self) -> str | None:
        source = self._fallback if self._fallback is not None else self._stream
        return source.feedback_ref

    async def notice(self, ref: str | None, text: str) -> None:
        if self._fallback is not None:
            await self._fallback.notice(self._ref or None, text)
        else:
            await self._stream.notice(text)
