"""Slack slash commands (/ask, /paper, /notes-search, /digest, /note) and the buttons.

Commands ack at once (Slack waits 3 s at most); a refusal goes in the ack, privately.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.core.answers import Lang
from bot.core.arxiv.submissions import NoteTaker, PaperSaver
from bot.core.assistant import Assistant
from bot.core.phrases import phrase
from bot.core.text import language_of
from bot.platforms.conversation import Asker
from bot.platforms.conversation.delivery import WriteFault
from bot.platforms.dialects.slack_blocks import (
    ARXIV_SAVE,
    FEEDBACK_UP,
    answer_messages,
    digest_blocks,
    feedback_modal,
    hits_blocks,
    plain_fallback,
    summary_blocks,
)
from bot.platforms.dialects.slack_text import clean_question
from bot.platforms.slack.handlers import Ack, SlackEvents, SlackOutlet

log = logging.getLogger(__name__)


class SlackCommands:
    def __init__(
        self, *, events: SlackEvents, assistant: Assistant, digest_lang: Lang,
        papers: PaperSaver | None = None, notes: NoteTaker | None = None,
    ) -> None:
        self._events, self._talk, self._papers = events, events.conversation, papers
        self._notes = notes
        self._assistant, self._digest_lang = assistant, digest_lang

    async def on_ask(self, ack: Ack, command: dict[str, Any]) -> None:
        asker, question = self._asker(command)
        if not await self._ack(ack, command, asker, question, "usage_ask"):
            return
        channel = SlackOutlet(self._events.client, asker.chat, None)
        try:
            posted = await channel.post(text=f"<@{asker.user}>: {question}")
        except WriteFault as fault:  # not in the channel, or Slack down: answer privately
            log.info("/ask cannot post in %s (%s); answering privately", asker.chat, fault)
            return await self._privately(command, asker, question)
        outlet = SlackOutlet(self._events.client, asker.chat, posted["ts"])
        await self._talk.answer(asker, question, outlet, thread=posted["ts"])

    async def on_paper(self, ack: Ack, command: dict[str, Any], respond: Ack) -> None:
        asker, query = self._asker(command)
        if not await self._ack(ack, command, asker, query, "usage_paper"):
            return
        summary = await self._talk.summary(query, asker.lang)
        if isinstance(summary, str):
            return await respond(text=summary, response_type="ephemeral")
        await respond(
            blocks=summary_blocks(summary), text=f"{summary.paper}\n{summary.text}",
            response_type="in_channel", unfurl_links=False, unfurl_media=False,
        )

    async def on_search(self, ack: Ack, command: dict[str, Any], respond: Ack) -> None:
        asker, query = self._asker(command)
        if await self._ack(ack, command, asker, query, "usage_search"):
            hits = hits_blocks(await self._assistant.search(query, 5), asker.lang)
            await respond(blocks=hits, text=query, response_type="ephemeral")

    async def on_note(self, ack: Ack, command: dict[str, Any], respond: Ack) -> None:
        """``/note TEXT``: a dated entry in the notes folder's inbox (told privately)."""
        asker = self._asker(command)[0]
        text = str(command.get("text") or "").strip()  # as typed: a note keeps its lines
        if await self._ack(ack, command, asker, text, "usage_note") and self._notes:
            said = await self._notes.note(text, asker.lang, "Slack")
            await respond(text=said, response_type="ephemeral")

    async def on_digest(self, ack: Ack, command: dict[str, Any], respond: Ack) -> None:
        """``/digest`` shows today's digest; ``subscribe``/``unsubscribe`` the channel."""
        asker, action = self._asker(command)
        if not await self._ack(ack, command, asker, action or "show", "usage_ask"):
            return
        if action.lower() in ("subscribe", "unsubscribe"):
            text = self._talk.subscribe(asker, action.lower() == "subscribe")
            return await respond(text=text, response_type="ephemeral")
        digest = await self._talk.digest(asker.chat)
        blocks = digest_blocks(digest, self._digest_lang)
        await respond(blocks=blocks, text=digest.period, response_type="ephemeral")

    async def on_button(
        self, ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Ack
    ) -> None:
        """👍/👎 under an answer, or "save as note" under a digest's new arXiv paper."""
        await ack()
        lang = language_of(body.get("message", {}).get("text", ""))
        asker = Asker(body["user"]["id"], body.get("channel", {}).get("id", ""), lang)
        if action["action_id"] == ARXIV_SAVE:  # for allowlisted users only
            if self._papers is not None and self._talk.allowed(asker.user, asker.chat):
                text = await self._papers.save(action["value"], asker.lang)
                await respond(text=text, response_type="ephemeral", replace_original=False)
            return
        up = action["action_id"] == FEEDBACK_UP
        if thanks := self._talk.vote(asker, action["value"], up):
            await respond(text=thanks, response_type="ephemeral", replace_original=False)
        if thanks and not up and body.get("trigger_id"):  # 👎: an optional "what was wrong"
            view = feedback_modal(action["value"], lang)
            await self._events.client.views_open(trigger_id=body["trigger_id"], view=view)

    async def on_feedback_note(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        await ack()
        text = view["state"]["values"]["note"]["note"].get("value") or ""
        ref = view["private_metadata"]  # "channel:ts" of the answer voted on
        self._talk.note(Asker(body["user"]["id"], ref.split(":")[0], "en"), ref, text)

    async def _ack(
        self, ack: Ack, command: dict[str, Any], asker: Asker, text: str, usage: str
    ) -> bool:
        usage_text = phrase(usage, asker.lang, command=command["command"])
        refusal = self._talk.refusal(asker, text, usage_text)
        await (ack(text=refusal) if refusal else ack())
        return refusal is None

    def _asker(self, command: dict[str, Any]) -> tuple[Asker, str]:
        text = clean_question(command.get("text", ""), self._events.bot_user)
        return Asker(command["user_id"], command["channel_id"], language_of(text)), text

    async def _privately(self, command: dict[str, Any], asker: Asker, question: str) -> None:
        answer = await self._assistant.answer(question)
        page = answer_messages(answer, feedback_ref=f"{asker.chat}:private")[0]
        webhook = AsyncWebhookClient(command["response_url"])
        await webhook.send(text=plain_fallback(answer.text), blocks=page, response_type="ephemeral")
