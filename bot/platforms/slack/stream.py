"""Slack's native streams: chat.startStream → appendStream… → stopStream (Markdown, so CJK
emphasis renders), the sources and feedback as blocks under it, and the assistant thread's
status ("Searching your notes…") set meanwhile and cleared at the end."""

from __future__ import annotations

import contextlib

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.answers import Answer
from bot.platforms.conversation.pacing import ChatPacer
from bot.platforms.dialects.slack_blocks import answer_messages, answer_tail, plain_fallback


class SlackNativeStream:
    def __init__(
        self, client: AsyncWebClient, channel: str, thread_ts: str, *, user: str,
        team: str | None, pacer: ChatPacer,
    ) -> None:
        self._client, self._channel, self._thread, self._pacer = client, channel, thread_ts, pacer
        self._to = {"recipient_user_id": user, **({"recipient_team_id": team} if team else {})}
        self.ts: str | None = None
        self.feedback_ref: str | None = None

    async def status(self, text: str) -> None:
        with contextlib.suppress(SlackApiError):  # not an assistant thread: no status, no harm
            await self._client.assistant_threads_setStatus(
                channel_id=self._channel, thread_ts=self._thread, status=text
            )

    async def show(self, delta: str, text: str) -> None:
        await self._pacer.wait(self._channel)  # ≤ 1 message write a second per conversation
        if self.ts is None:
            started = await self._client.chat_startStream(
                channel=self._channel, thread_ts=self._thread, markdown_text=delta, **self._to
            )
            self.ts = str(started["ts"])
        else:
            await self._client.chat_appendStream(
                channel=self._channel, ts=self.ts, markdown_text=delta
            )

    async def close(self, answer: Answer, rest: str | None) -> None:
        if self.ts is None or rest:  # the rest, or all of it when answered before any draft
            await self.show(answer.text if self.ts is None else rest or "", answer.text)
        assert self.ts is not None
        ref = self.feedback_ref = f"{self._channel}:{self.ts}"
        await self._pacer.wait(self._channel)
        if rest is None:  # the text changed under the stream: the final answer replaces it
            await self._client.chat_stopStream(channel=self._channel, ts=self.ts)
            blocks = answer_messages(answer, feedback_ref=ref)[0]
            text = plain_fallback(answer.text)
            await self._client.chat_update(channel=self._channel, ts=self.ts, text=text,
                                           blocks=blocks)
        else:
            tail = answer_tail(answer, feedback_ref=ref)
            await self._client.chat_stopStream(channel=self._channel, ts=self.ts, blocks=tail)
        await self.status("")

    async def notice(self, text: str) -> None:
        where = {"channel": self._channel}
        if self.ts is None:
            await self._client.chat_postMessage(**where, thread_ts=self._thread, text=text)
        else:
            await self._client.chat_stopStream(**where, ts=self.ts, markdown_text=f"\n\n{text}")
        await self.status("")
