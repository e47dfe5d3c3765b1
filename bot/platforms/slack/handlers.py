"""What the Slack bot does with mentions, DMs, thread replies, slash commands and clicks.

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
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.core.access import Allowlist, RateLimiter
from bot.core.answers import Answer, Lang, Turn
from bot.core.assistant import Assistant
from bot.core.phrases import phrase
from bot.core.text import language_of
from bot.platforms.inflight import InFlight
from bot.platforms.relay import EditBudget, relay
from bot.platforms.slack.blocks import (
    FEEDBACK_UP,
    answer_messages,
    hits_blocks,
    plain_fallback,
    summary_blocks,
)
from bot.platforms.slack.translate import clean_question, is_answerable, thread_turns
from bot.state import StateStore

log = logging.getLogger(__name__)
Ack = Callable[..., Awaitable[Any]]
SETTING = "NOTESBOT_SLACK_ALLOWED_USERS"


@dataclass(frozen=True, slots=True)
class SlackPolicy:
    allow: Allowlist
    limiter: RateLimiter
    draft_interval: float = 1.0
    history_turns: int = 6


@dataclass(frozen=True, slots=True)
class Where:
    channel: str
    thread_ts: str | None  # None: a DM answered at top level
    user: str
    lang: Lang
    is_dm: bool


class SlackHandlers:
    def __init__(
        self,
        *,
        assistant: Assistant,
        state: StateStore,
        client: AsyncWebClient,
        policy: SlackPolicy,
        budget: EditBudget,
    ) -> None:
        self._assistant = assistant
        self._state = state
        self._client = client
        self._policy = policy
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

    # --- slash commands ---
    async def on_ask(self, ack: Ack, command: dict[str, Any]) -> None:
        where, question = self._command(command)
        if not await self._ack_command(ack, command, where, question, "usage_ask"):
            return
        try:
            posted = await self._client.chat_postMessage(
                channel=where.channel, text=f"<@{where.user}>: {question}",
                unfurl_links=False, unfurl_media=False,
            )
        except SlackApiError as exc:  # not in the channel: answer privately, without streaming
            log.info("/ask cannot post in %s: %s", where.channel, slack_error(exc))
            await self._respond_privately(command, where, question)
            return
        thread = Where(where.channel, posted["ts"], where.user, where.lang, False)
        await self.answer(thread, question, [])

    async def on_paper(self, ack: Ack, command: dict[str, Any], respond: Ack) -> None:
        where, query = self._command(command)
        if not await self._ack_command(ack, command, where, query, "usage_paper"):
            return
        summary = await self._assistant.summarize(query)
        if summary is None:
            text = phrase("no_paper", where.lang, query=query)
            await respond(text=text, response_type="ephemeral")
            return
        await respond(
            blocks=summary_blocks(summary), text=f"{summary.paper}\n{summary.text}",
            response_type="in_channel", unfurl_links=False, unfurl_media=False,
        )

    async def on_search(self, ack: Ack, command: dict[str, Any], respond: Ack) -> None:
        where, query = self._command(command)
        if await self._ack_command(ack, command, where, query, "usage_search"):
            hits = await self._assistant.search(query, 5)
            await respond(
                blocks=hits_blocks(hits, where.lang), text=query, response_type="ephemeral"
            )

    # --- buttons ---
    async def on_feedback(
        self, ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Ack
    ) -> None:
        await ack()
        user = body["user"]["id"]
        if not self._policy.allow.allows(user, body.get("channel", {}).get("id")):
            return
        vote = "up" if action["action_id"] == FEEDBACK_UP else "down"
        self._state.add_feedback("slack", action["value"], user, vote)
        lang = language_of(body.get("message", {}).get("text", ""))
        thanks = phrase("feedback_thanks", lang)
        await respond(text=thanks, response_type="ephemeral", replace_original=False)

    # --- the answer ---
    async def answer(self, where: Where, question: str, history: list[Turn]) -> None:
        async with self.inflight.track():
            ts = (await self._post(where, text=phrase("thinking", where.lang)))["ts"]
            try:
                answer = await relay(
                    self._assistant.stream(question, history),
                    show_draft=lambda text: self._client.chat_update(
                        channel=where.channel, ts=ts, text=plain_fallback(text)
                    ),
                    interval=self._policy.draft_interval,
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
        await self._client.chat_update(channel=where.channel, ts=ts, text=fallback, blocks=first)
        for page in pages[1:]:  # a long answer continues below, in the same thread
            await self._post(where, text=fallback[:200], blocks=page)

    async def _post(self, where: Where, **content: Any) -> Any:
        return await self._client.chat_postMessage(
            channel=where.channel, thread_ts=where.thread_ts, unfurl_links=False,
            unfurl_media=False, **content,
        )

    async def _apologize(self, where: Where, ts: str | None = None) -> None:
        """One short apology where the answer should have been; never a silent failure."""
        text = phrase("apology", where.lang)
        try:
            if ts is not None:
                await self._client.chat_update(channel=where.channel, ts=ts, text=text)
            else:
                await self._post(where, text=text)
        except SlackApiError as exc:
            log.error("apology failed in %s: %s", where.channel, slack_error(exc))

    # --- helpers ---
    async def _ack_command(
        self, ack: Ack, command: dict[str, Any], where: Where, text: str, usage: str
    ) -> bool:
        """Ack at once (Slack waits 3 s at most); a refusal goes in the ack, privately."""
        refusal = self._refusal(where, text, phrase(usage, where.lang, command=command["command"]))
        await (ack(text=refusal) if refusal else ack())
        return refusal is None

    async def _gate(self, where: Where, question: str, usage: str) -> bool:
        refusal = self._refusal(where, question, usage)
        if refusal is None:
            return True
        if where.is_dm:
            await self._post(where, text=refusal)
        else:
            await self._client.chat_postEphemeral(
                channel=where.channel, user=where.user, text=refusal, thread_ts=where.thread_ts
            )
        return False

    def _refusal(self, where: Where, question: str, usage: str) -> str | None:
        """Why this question is not answered (not allowed, too many, empty), or None."""
        if not self._policy.allow.allows(where.user, where.channel):
            log.info("refused %s in %s: not on the allowlist", where.user, where.channel)
            return phrase("not_allowed", where.lang, id=where.user, setting=SETTING)
        if wait := self._policy.limiter.wait_time(where.user):
            return phrase("rate_limited", where.lang, seconds=round(wait))
        return None if question else usage

    async def _history(self, where: Where, ts: str) -> list[Turn]:
        if where.is_dm:
            return self._state.history("slack", where.channel, self._policy.history_turns)
        if where.thread_ts is None or where.thread_ts == ts:
            return []
        try:
            replies = await self._client.conversations_replies(
                channel=where.channel, ts=where.thread_ts, limit=50
            )
        except SlackApiError as exc:  # no history is better than no answer
            log.warning("thread history unavailable: %s", slack_error(exc))
            return []
        messages = replies.get("messages", [])
        skip = phrase("thinking", where.lang)
        turns = thread_turns(messages, bot_user=self.bot_user, before_ts=ts, skip=skip)
        return turns[-self._policy.history_turns :]

    def _in_thread(self, channel: str, thread_ts: str) -> bool:
        return self._state.has_claim("slack-thread", f"{channel}:{thread_ts}")

    def _command(self, command: dict[str, Any]) -> tuple[Where, str]:
        text = clean_question(command.get("text", ""), self.bot_user)
        channel = command["channel_id"]
        where = Where(channel, None, command["user_id"], language_of(text), channel[:1] == "D")
        return where, text

    async def _respond_privately(
        self, command: dict[str, Any], where: Where, question: str
    ) -> None:
        answer = await self._assistant.answer(question)
        page = answer_messages(answer, feedback_ref=f"{where.channel}:private")[0]
        webhook = AsyncWebhookClient(command["response_url"])
        await webhook.send(
            text=plain_fallback(answer.text), blocks=page, response_type="ephemeral"
        )


def slack_error(exc: SlackApiError) -> str:
    """Slack's error code, or the HTTP status when the body was not Slack's JSON."""
    data = getattr(exc.response, "data", None)
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return f"HTTP {getattr(exc.response, 'status_code', '?')}"
