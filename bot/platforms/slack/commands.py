"""Slack slash commands (/ask, /paper, /notes-search, /digest) and the feedback buttons."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.core.answers import Lang
from bot.core.assistant import Assistant
from bot.core.phrases import phrase
from bot.core.text import language_of
from bot.digest_service import DigestPlanner
from bot.platforms.slack.blocks import (
    FEEDBACK_UP,
    answer_messages,
    digest_blocks,
    hits_blocks,
    plain_fallback,
    summary_blocks,
)
from bot.platforms.slack.handlers import Ack, SlackConversation, Where, slack_error
from bot.platforms.slack.translate import clean_question
from bot.state import StateStore

log = logging.getLogger(__name__)


class SlackCommands:
    """Commands ack at once (Slack waits 3 s at most) and refuse privately, in the ack."""

    def __init__(
        self,
        *,
        conversation: SlackConversation,
        assistant: Assistant,
        state: StateStore,
        digests: DigestPlanner | None = None,
        digest_lang: Lang = "ja",
    ) -> None:
        self._talk = conversation
        self._assistant = assistant
        self._state = state
        self._digests = digests
        self._digest_lang = digest_lang

    # --- slash commands ---
    async def on_ask(self, ack: Ack, command: dict[str, Any]) -> None:
        where, question = self._command(command)
        if not await self._ack(ack, command, where, question, "usage_ask"):
            return
        try:
            posted = await self._talk.client.chat_postMessage(
                channel=where.channel, text=f"<@{where.user}>: {question}",
                unfurl_links=False, unfurl_media=False,
            )
        except SlackApiError as exc:  # not in the channel: answer privately, without streaming
            log.info("/ask cannot post in %s: %s", where.channel, slack_error(exc))
            await self._respond_privately(command, where, question)
            return
        thread = Where(where.channel, posted["ts"], where.user, where.lang, False)
        await self._talk.answer(thread, question, [])

    async def on_paper(self, ack: Ack, command: dict[str, Any], respond: Ack) -> None:
        where, query = self._command(command)
        if not await self._ack(ack, command, where, query, "usage_paper"):
            return
        summary = await self._assistant.summarize(query)
        if summary is None:
            text = await self._assistant.no_paper(query, where.lang)
            await respond(text=text, response_type="ephemeral")
            return
        await respond(
            blocks=summary_blocks(summary), text=f"{summary.paper}\n{summary.text}",
            response_type="in_channel", unfurl_links=False, unfurl_media=False,
        )

    async def on_search(self, ack: Ack, command: dict[str, Any], respond: Ack) -> None:
        where, query = self._command(command)
        if await self._ack(ack, command, where, query, "usage_search"):
            hits = await self._assistant.search(query, 5)
            await respond(
                blocks=hits_blocks(hits, where.lang), text=query, response_type="ephemeral"
            )

    async def on_digest(self, ack: Ack, command: dict[str, Any], respond: Ack) -> None:
        """``/digest`` shows today's digest; ``subscribe``/``unsubscribe`` the channel."""
        where, action = self._command(command)
        if not await self._ack(ack, command, where, action or "show", "usage_ask"):
            return
        if action.lower() in ("subscribe", "unsubscribe"):
            subscribe = action.lower() == "subscribe"
            change = self._state.subscribe if subscribe else self._state.unsubscribe
            change("slack", where.channel)
            text = phrase("subscribed" if subscribe else "unsubscribed", where.lang)
            await respond(text=text, response_type="ephemeral")
            return
        if self._digests is not None:
            digest = await self._digests.preview(f"slack:{where.channel}")
            await respond(blocks=digest_blocks(digest, self._digest_lang), text=digest.period,
                          response_type="ephemeral")

    # --- buttons ---
    async def on_feedback(
        self, ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Ack
    ) -> None:
        await ack()
        user = body["user"]["id"]
        if not self._talk.policy.allow.allows(user, body.get("channel", {}).get("id")):
            return
        vote = "up" if action["action_id"] == FEEDBACK_UP else "down"
        self._state.add_feedback("slack", action["value"], user, vote)
        lang = language_of(body.get("message", {}).get("text", ""))
        thanks = phrase("feedback_thanks", lang)
        await respond(text=thanks, response_type="ephemeral", replace_original=False)

    async def _ack(
        self, ack: Ack, command: dict[str, Any], where: Where, text: str, usage: str
    ) -> bool:
        """Ack at once (Slack waits 3 s at most); a refusal goes in the ack, privately."""
        usage_text = phrase(usage, where.lang, command=command["command"])
        refusal = self._talk.refusal(where, text, usage_text)
        await (ack(text=refusal) if refusal else ack())
        return refusal is None

    def _command(self, command: dict[str, Any]) -> tuple[Where, str]:
        text = clean_question(command.get("text", ""), self._talk.bot_user)
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


