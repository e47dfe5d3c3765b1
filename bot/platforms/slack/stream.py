"""Slack's native streams: chat.startStream → appendStream… → stopStream (Markdown, so CJK
emphasis renders), the sources and feedback as blocks under it, and the assistant thread's
status ("Searching your notes…") set meanwhile and cleared at the end."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.answers import Answer
from bot.platforms.dialects.slack_blocks import answer_messages, answer_tail, plain_fallback
from bot.platforms.dialects.slack_text import slack_error

log = logging.getLogger(__name__)
_REFUSALS = {"method_not_supported", "not_allowed", "unknown_method", "not_allowed_token_type",
             "feature_not_enabled", "missing_scope", "not_in_channel", "HTTP 404"}


def refused(exc: BaseException) -> bool:
    """The workspace (or an older server) does not stream, as opposed to a failed call."""
    return isinstance(exc, SlackApiError) and slack_error(exc) in _REFUSALS


class SlackNativeStream:
    def __init__(
        self, client: AsyncWebClient, channel: str, thread_ts: str, *, user: str, team: str | None
    ) -> None:
        self._client, self._channel, self._thread = client, channel, thread_ts
        self._to = {"recipient_user_id": user, **({"recipient_team_id": team} if team else {})}
        self.ts: str | None = None
        self.feedback_ref: str | None = None

    async def status(self, text: str) -> None:
        try:
            await self._client.assistant_threads_setStatus(
                channel_id=self._channel, thread_ts=self._thread, status=text
            )
        except SlackApiError as exc:  # not an assistant thread: no status line, no harm
            log.debug("no assistant status in %s: %s", self._channel, exc.response.get("error"))

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
        if self.ts is None or rest:  # the rest, or all of it when answered before any draft
            await self.show(answer.text if self.ts is None else rest or "", answer.text)
        assert self.ts is not None
        ref = self.feedback_ref = f"{self._channel}:{self.ts}"
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
