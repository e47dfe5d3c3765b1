"""Slack events in (mentions, DMs, thread replies), the shared conversation, Slack out. A
thread is its own memory (read back with conversations.replies); a DM remembers its turns."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.answers import Answer, Turn
from bot.core.arxiv.ids import arxiv_id_alone
from bot.core.arxiv.submissions import PaperSaver
from bot.core.phrases import phrase
from bot.core.text import language_of
from bot.platforms.conversation import Asker, Conversation, Outlet
from bot.platforms.conversation.delivery import WriteFault
from bot.platforms.conversation.pacing import ChatPacer
from bot.platforms.conversation.streaming import StreamOutlet
from bot.platforms.dialects import slack_text as text_in
from bot.platforms.dialects.slack_blocks import PROMPTS, answer_messages, plain_fallback
from bot.platforms.dialects.slack_faults import calling, refusal_scope
from bot.platforms.slack.stream import SlackNativeStream

log = logging.getLogger(__name__)
Ack = Callable[..., Awaitable[Any]]
ALLOW_SETTING = "NOTESBOT_SLACK_ALLOWED_USERS"


class SlackOutlet:
    """One answer in a channel thread (or at a DM's top level): ``ref`` is a message ts."""

    def __init__(self, client: AsyncWebClient, channel: str, thread_ts: str | None) -> None:
        self._client, self._channel, self.thread_ts = client, channel, thread_ts
        self.feedback_ref: str | None = None

    async def start(self, text: str) -> str:
        return str((await self.post(text=text))["ts"])

    async def draft(self, ref: str, text: str) -> None:
        await self.update(ref, text=plain_fallback(text))

    def pages(self, ref: str, answer: Answer) -> Sequence[object]:
        self.feedback_ref, text = f"{self._channel}:{ref}", plain_fallback(answer.text)
        pages = answer_messages(answer, feedback_ref=self.feedback_ref)
        return [(text if i == 0 else text[:200], page) for i, page in enumerate(pages)]

    async def replace(self, ref: str, page: object) -> None:
        text, blocks = page  # type: ignore[misc]
        await self.update(ref, text=text, blocks=blocks)

    async def add(self, page: object) -> None:
        text, blocks = page  # type: ignore[misc]
        await self.post(text=text, blocks=blocks)

    async def notice(self, ref: str | None, text: str) -> None:
        if ref:  # in place of the placeholder, else below the question
            return await self.update(ref, text=text)
        await self.post(text=text)

    async def discard(self, ref: str) -> None:
        with calling("chat.delete"):
            await self._client.chat_delete(channel=self._channel, ts=ref)

    async def update(self, ts: str, **content: Any) -> None:
        with calling("chat.update"):
            await self._client.chat_update(channel=self._channel, ts=ts, **content)

    async def post(self, **content: Any) -> Any:
        with calling("chat.postMessage"):
            return await self._client.chat_postMessage(
                channel=self._channel, thread_ts=self.thread_ts, unfurl_links=False,
                unfurl_media=False, **content,
            )


class SlackEvents:
    def __init__(
        self, *, conversation: Conversation, client: AsyncWebClient, native: bool = True
    ) -> None:
        self.conversation, self.client, self.native = conversation, client, native
        self.papers: PaperSaver | None = None  # an arXiv link alone in a DM: saved as a note
        self.bot_user: str | None = None
        self.bot_id: str | None = None
        self.no_streams: set[str] = set()  # workspaces and channels that refused streams
        self.pacer = ChatPacer(interval=1.0)

    async def on_assistant_thread(self, event: dict[str, Any]) -> None:
        thread = event["assistant_thread"]
        await self.client.assistant_threads_setSuggestedPrompts(
            channel_id=thread["channel_id"], thread_ts=thread["thread_ts"], prompts=PROMPTS
        )

    async def on_mention(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if text_in.is_answerable(event, bot_user=self.bot_user, bot_id=self.bot_id):
            await self._question(event, body)

    async def on_message(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if not text_in.is_answerable(event, bot_user=self.bot_user, bot_id=self.bot_id):
            return
        thread = event.get("thread_ts")
        mentioned = self.bot_user and f"<@{self.bot_user}>" in event.get("text", "")
        # Mentions are app_mention's; other thread replies only where the bot has answered.
        joined = thread and self.conversation.seen("thread", f"{event['channel']}:{thread}")
        if event.get("channel_type") == "im" or (joined and not mentioned):
            await self._question(event, body)

    async def _question(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        talk, channel = self.conversation, event["channel"]
        # app_mention and message.im can both carry one message: claim the message too.
        if not (
            talk.first("event", body.get("event_id") or event["ts"])
            and talk.first("message", f"{channel}:{event['ts']}")
        ):
            return
        question = text_in.clean_question(event.get("text", ""), self.bot_user)
        is_dm = event.get("channel_type") == "im"
        asker = Asker(event["user"], channel, language_of(question))
        thread = None if is_dm else (event.get("thread_ts") or event["ts"])
        edits = SlackOutlet(self.client, channel, event.get("thread_ts") or thread)
        outlet = self._outlet(event, body, edits)
        usage = phrase("usage_ask", asker.lang, command=f"<@{self.bot_user}>")
        if refusal := talk.refusal(asker, question, usage):
            await self.refuse(asker, edits, refusal, private=not is_dm)
            return
        if is_dm and self.papers and (paper := arxiv_id_alone(event.get("text", ""))):
            said = await self.papers.take(paper, talk.policy.digest_lang)
            await talk.reply(lambda: edits.post(text=said))
            return
        history = talk.history(channel) if is_dm else await self._thread(event, asker)
        await talk.answer(asker, question, outlet, history=history, remember=is_dm, thread=thread)

    def _outlet(self, event: dict[str, Any], body: dict[str, Any], edits: SlackOutlet) -> Outlet:
        """A native stream where the workspace has them, else the placeholder and edits."""
        team, channel = event.get("team") or body.get("team_id") or "", event["channel"]
        if not self.native or {team, f"{team}/{channel}"} & self.no_streams:
            return edits
        thread = event.get("thread_ts") or event["ts"]
        stream = SlackNativeStream(self.client, channel, thread, user=event["user"],
                                   team=team or None, pacer=self.pacer)
        return StreamOutlet(stream, fallback=lambda: edits,
                            on_refused=lambda fault: self._refused(fault, team, channel))

    def _refused(self, fault: WriteFault, team: str, channel: str) -> None:
        """Streams refused for good: this workspace (or channel) answers with edits from now."""
        where = channel if refusal_scope(fault.error) == "channel" else None
        key = f"{team}/{where}" if where else team
        if key not in self.no_streams:
            self.no_streams.add(key)
            log.warning("Slack %s %s refused streams (%s); answering with post and update there",
                        "channel" if where else "workspace", where or team or "?", fault.error)

    async def refuse(self, asker: Asker, outlet: SlackOutlet, text: str, *, private: bool) -> None:
        if not private:
            return await outlet.post(text=text)
        await self.client.chat_postEphemeral(
            channel=asker.chat, user=asker.user or "", text=text, thread_ts=outlet.thread_ts
        )

    async def _thread(self, event: dict[str, Any], asker: Asker) -> list[Turn]:
        thread_ts, ts = event.get("thread_ts"), event["ts"]
        if thread_ts is None or thread_ts == ts:
            return []
        try:
            replies = await self.client.conversations_replies(
                channel=asker.chat, ts=thread_ts, limit=50
            )
        except SlackApiError as exc:  # no history is better than no answer
            log.warning("thread history unavailable: %s", text_in.slack_error(exc))
            return []
        turns = text_in.thread_turns(replies.get("messages", []), bot_user=self.bot_user,
                                     before_ts=ts, skip=phrase("thinking", asker.lang))
        return turns[-self.conversation.policy.history_turns :]
