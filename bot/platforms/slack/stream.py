"""Slack's native streams: chat.startStream → appendStream… → stopStream (Markdown, so CJK
emphasis renders), the sources and feedback as blocks under it, and the assistant thread's
status ("Searching your notes…") set meanwhile and cleared at the end."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.answers import Answer
from bot.platforms.conversation.delivery import WriteFault
from bot.platforms.conversation.pacing import ChatPacer
from bot.platforms.dialects.slack_blocks import answer_messages, answer_tail, plain_fallback
from bot.platforms.dialects.slack_faults import calling

log = logging.getLogger(__name__)
_STATUS_SECONDS = 3.0  # a courtesy is not waited for longer than this


class SlackNativeStream:
    def __init__(
        self, client: AsyncWebClient, channel: str, thread_ts: str, *, user: str,
        team: str | None, pacer: ChatPacer,
    ) -> None:
        self._client, self._channel, self._thread, self._pacer = client, channel, thread_ts, pacer
        self._to = {"recipient_user_id": user, **({"recipient_team_id": team} if team else {})}
        self._status: asyncio.Task[None] | None = None
        self.ts: str | None = None
        self._stopped = False
        self.feedback_ref: str | None = None

    async def status(self, text: str) -> None:
        """Set in the background: a slow or failing status never holds up the answer."""
        self._status = asyncio.create_task(self._set_status(text))

    async def _set_status(self, text: str) -> None:
        try:
            with calling("assistant.threads.setStatus"):
                await self._client.assistant_threads_setStatus(
                    channel_id=self._channel, thread_ts=self._thread, status=text
                )
        except WriteFault as fault:  # not an assistant thread, or Slack busy: no harm
            log.info("%s (status skipped)", fault)

    async def _clear_status(self) -> None:
        if self._status is not None and not self._status.done():
            self._status.cancel()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(_STATUS_SECONDS):
                await self._set_status("")

    def ready(self) -> bool:
        return self._pacer.try_now(self._channel)  # ≤ 1 message write a second per conversation

    async def show(self, delta: str, text: str) -> None:
        if self.ts is None:
            with calling("chat.startStream"):
                started = await self._client.chat_startStream(
                    channel=self._channel, thread_ts=self._thread, markdown_text=delta,
                    **self._to,
                )
            self.ts = str(started["ts"])
        else:
            with calling("chat.appendStream"):
                await self._client.chat_appendStream(
                    channel=self._channel, ts=self.ts, markdown_text=delta
                )

    async def close(self, answer: Answer, rest: str | None) -> None:
        await self._pacer.wait(self._channel)
        if self.ts is None:  # answered before any draft: all of it, then (a slot later) the stop
            await self.show(answer.text, answer.text)
            rest = ""
            await self._pacer.wait(self._channel)
        ref = self.feedback_ref = f"{self._channel}:{self.ts}"
        where = {"channel": self._channel, "ts": str(self.ts)}
        if rest is None:  # the text changed under the stream: the final answer replaces it
            await self._stop()
            blocks = answer_messages(answer, feedback_ref=ref)[0]
            with calling("chat.update"):
                await self._client.chat_update(
                    **where, text=plain_fallback(answer.text), blocks=blocks
                )
        else:  # the rest of the text, with the sources and buttons under it
            tail = answer_tail(answer, feedback_ref=ref)
            await self._stop(markdown_text=rest or None, blocks=tail)
        await self._clear_status()

    async def _stop(self, **final: object) -> None:
        if not self._stopped:
            with calling("chat.stopStream"):
                await self._client.chat_stopStream(channel=self._channel, ts=str(self.ts),
                                                   **final)
            self._stopped = True

    async def abandon(self) -> str | None:
        if self.ts is not None:
            with contextlib.suppress(WriteFault):  # maybe stopped already; the edit follows
                await self._stop()
        self.feedback_ref = None
        return self.ts

    async def notice(self, text: str) -> None:
        if self.ts is None:
            with calling("chat.postMessage"):
                await self._client.chat_postMessage(
                    channel=self._channel, thread_ts=self._thread, text=text
                )
        else:
            await self._stop(markdown_text=f"\n\n{text}")
        await self._clear_status()
