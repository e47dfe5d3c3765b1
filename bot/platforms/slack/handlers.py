"""What the Slack bot does with mentions, DMs and thread replies (commands: commands.py).

Every question: exactly once (event id and channel+ts claimed in SQLite), allowlisted, rate
limited, then a placeholder in the thread that the answer streams into, finished with blocks.
Any failure ends in one short apology, never silence.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.answers import Answer, Lang, Turn
from bot.core.assistant import Assistant
from bot.core.phrases import phrase
from bot.core.text import language_of
from bot.platforms.inflight import InFlight
from bot.platforms.policy import BotPolicy
from bot.platforms.relay import EditBudget, relay
from bot.platforms.slack.blocks import (
    answer_messages,
    plain_fallback,
)
from bot.platforms.slack.translate import clean_question, is_answerable, thread_turns
from bot.state import StateStore

log = logging.getLogger(__name__)
Ack = Callable[..., Awaitable[Any]]
SETTING = "NOTESBOT_SLACK_ALLOWED_USERS"


@dataclass(frozen=True, slots=True)
class Where:
    channel: str
    thread_ts: str | None  # None: a DM answered at top level
    user: str
    lang: Lang
    is_dm: bool


class SlackConversation:
    def __init__(
        self,
        *,
        assistant: Assistant,
        state: StateStore,
        client: AsyncWebClient,
        policy: BotPolicy,
        budget: EditBudget,
    ) -> None:
        self._assistant = assistant
        self._state = state
        self.client = client
        self.policy = policy
        self._budget = budget
        self.inflight = InFlight()
        self.bot_user: str | None = None
        self.bot_id: str | None = None

    # --- events ---
    async def on_mention(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if is_answerable(event, bot_user=self.bot_user, bot_id=self.bot_id):
            await self._question(event, body)

    async def on_message(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if not is_answerable(event, bot_user=self.bot_user, bot_id=self.bot_id):
            return
        if event.get("channel_type") == "im":
            await self._question(event, body)
            return
        thread = event.get("thread_ts")
        mentioned = self.bot_user and f"<@{self.bot_user}>" in event.get("text", "")
        # Mentions are app_mention's; other thread replies only where the bot has answered.
        if thread and not mentioned and self._in_thread(event["channel"], thread):
            await self._question(event, body)

    async def _question(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        first = self._state.claim("slack-event", body.get("event_id") or event["ts"])
        # app_mention and message.im can both carry one message: claim the message too.
        if not (first and self._state.claim("slack-message", f"{event['channel']}:{event['ts']}")):
            return
        question = clean_question(event.get("text", ""), self.bot_user)
        is_dm = event.get("channel_type") == "im"
        thread = event.get("thread_ts") or (None if is_dm else event["ts"])
        where = Where(event["channel"], thread, event["user"], language_of(question), is_dm)
        usage = phrase("usage_ask", where.lang, command=f"<@{self.bot_user}>")
        try:
            if await self._gate(where, question, usage):
                await self.answer(where, question, await self._history(where, event["ts"]))
        except Exception:
            log.exception("question in %s failed before answering", where.channel)
            await self._apologize(where)

    # --- the answer ---
    async def answer(self, where: Where, question: str, history: list[Turn]) -> None:
        async with self.inflight.track():
            ts = (await self._post(where, text=phrase("thinking", where.lang)))["ts"]
            try:
                answer = await relay(
                    self._assistant.stream(question, history),
                    show_draft=lambda text: self.client.chat_update(
                        channel=where.channel, ts=ts, text=plain_fallback(text)
                    ),
                    interval=self.policy.draft_interval,
                    budget=self._budget,
                )
                await self._finish(where, ts, answer)
            except Exception:
                log.exception("answering in %s failed", where.channel)
                await self._apologize(where, ts)
                return
            if where.thread_ts:
                self._state.claim("slack-thread", f"{where.channel}:{where.thread_ts}")
            if where.is_dm:
                turns = (Turn("user", question), Turn("assistant", answer.text))
                self._state.remember("slack", where.channel, *turns)

    async def _finish(self, where: Where, ts: str, answer: Answer) -> None:
        pages = answer_messages(answer, feedback_ref=f"{where.channel}:{ts}")
        fallback = plain_fallback(answer.text)
        first = pages[0]
        await self.client.chat_update(channel=where.channel, ts=ts, text=fallback, blocks=first)
        for page in pages[1:]:  # a long answer continues below, in the same thread
            await self._post(where, text=fallback[:200], blocks=page)

    async def _post(self, where: Where, **content: Any) -> Any:
        return await self.client.chat_postMessage(
            channel=where.channel, thread_ts=where.thread_ts, unfurl_links=False,
            unfurl_media=False, **content,
        )

    async def _apologize(self, where: Where, ts: str | None = None) -> None:
        """One short apology where the answer should have been; never a silent failure."""
        text = phrase("apology", where.lang)
        try:
            if ts is not None:
                await self.client.chat_update(channel=where.channel, ts=ts, text=text)
            else:
                await self._post(where, text=text)
        except SlackApiError as exc:
            log.error("apology failed in %s: %s", where.channel, slack_error(exc))

    # --- helpers ---
    async def _gate(self, where: Where, question: str, usage: str) -> bool:
        refusal = self.refusal(where, question, usage)
        if refusal is None:
            return True
        if where.is_dm:
            await self._post(where, text=refusal)
        else:
            await self.client.chat_postEphemeral(
                channel=where.channel, user=where.user, text=refusal, thread_ts=where.thread_ts
            )
        return False

    def refusal(self, where: Where, question: str, usage: str) -> str | None:
        """Why this question is not answered (not allowed, too many, empty), or None."""
        if not self.policy.allow.allows(where.user, where.channel):
            log.info("refused %s in %s: not on the allowlist", where.user, where.channel)
            return phrase("not_allowed", where.lang, id=where.user, setting=SETTING)
        if wait := self.policy.limiter.wait_time(where.user):
            return phrase("rate_limited", where.lang, seconds=round(wait))
        return None if question else usage

    async def _history(self, where: Where, ts: str) -> list[Turn]:
        if where.is_dm:
            return self._state.history("slack", where.channel, self.policy.history_turns)
        if where.thread_ts is None or where.thread_ts == ts:
            return []
        try:
            replies = await self.client.conversations_replies(
                channel=where.channel, ts=where.thread_ts, limit=50
            )
        except SlackApiError as exc:  # no history is better than no answer
            log.warning("thread history unavailable: %s", slack_error(exc))
            return []
        messages = replies.get("messages", [])
        skip = phrase("thinking", where.lang)
        turns = thread_turns(messages, bot_user=self.bot_user, before_ts=ts, skip=skip)
        return turns[-self.policy.history_turns :]

    def _in_thread(self, channel: str, thread_ts: str) -> bool:
        return self._state.has_claim("slack-thread", f"{channel}:{thread_ts}")


def slack_error(exc: SlackApiError) -> str:
    """Slack's error code, or the HTTP status when the body was not Slack's JSON."""
    data = getattr(exc.response, "data", None)
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return f"HTTP {getattr(exc.response, 'status_code', '?')}"
