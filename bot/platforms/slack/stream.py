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

    def ready(self) -> bool:
        return self._pacer.try_now(self._channel)  # ≤ 1 message write a second per conversation

    async def show(self, delta: str, text: str) -> None:
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
        await self._pacer.wait(self._channel)
        if self.ts is None:  # answered before any draft: all of it, then (a slot later) the stop
            await self.show(answer.text, answer.text)
            rest = ""
            await self._pacer.wait(self._channel)
        ref = self.feedback_ref = f"{self._channel}:{self.ts}"
        where = {"channel": self._channel, "ts": str(self.ts)}
        if rest is None:  # the text changed under the stream: the final answer replaces it
            await self._client.chat_stopStream(**where)
            blocks = answer_messages(answer, feedback_ref=ref)[0]
            await self._client.chat_update(**where, text=plain_fallback(answer.text), blocks=blocks)
        else:  # the rest of the text, with the sources and buttons under it
            tail = answer_tail(answer, feedback_ref=ref)
            await self._client.chat_stopStream(**where, markdown_text=rest or None, blocks=tail)
        await self.status("")

    async def notice(self, text: str) -> None:
        where = {"channel": self._channel}
        if self.ts is None:
            await self._client.chat_postMessage(**where, thread_ts=self._thread, text=text)
        else:
            await self._client.chat_stopStream(**where, ts=self.ts, markdown_text=f"\n\n{text}")
        await self.status("")
