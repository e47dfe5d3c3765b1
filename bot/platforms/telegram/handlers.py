"""Telegram updates in (DMs, group mentions and replies, commands), the shared conversation,
Telegram HTML out. A chat remembers its turns until /new."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from typing import Any, cast

from telegram import Message, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import NetworkError, TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.core.answers import Answer, Lang
from bot.core.arxiv.ids import arxiv_id_alone
from bot.core.arxiv.submissions import NoteTaker, PaperSaver
from bot.core.assistant import Assistant
from bot.core.phrases import phrase
from bot.core.text import language_of
from bot.platforms.conversation import Asker, Conversation, Outlet
from bot.platforms.conversation.delivery import WriteFault
from bot.platforms.conversation.streaming import StreamOutlet
from bot.platforms.dialects import telegram_html as out
from bot.platforms.dialects.telegram_faults import whole_bot
from bot.platforms.dialects.telegram_text import (
    addressed,
    command_body,
    language_of_client,
    strip_handle,
)
from bot.platforms.telegram import drafts
from bot.platforms.telegram.sender import FEEDBACK, Sender, inline_result

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE
ALLOW_SETTING = "NOTESBOT_TELEGRAM_ALLOWED_USERS"


class TelegramOutlet:
    """One answer in a chat: ``ref`` is the placeholder's message id."""

    def __init__(self, sender: Sender, chat: int, reply_to: int | None) -> None:
        self._sender, self._chat, self._reply_to = sender, chat, reply_to
        self.feedback_ref: str | None = None

    async def start(self, text: str) -> str:
        return str((await self._sender.say(self._chat, text, reply_to=self._reply_to)).message_id)

    async def draft(self, ref: str, text: str) -> None:
        await self._sender.draft(self._chat, int(ref), text)

    def pages(self, ref: str, answer: Answer) -> Sequence[object]:
        return out.keyed_pages(answer)

    async def replace(self, ref: str, page: object) -> None:
        html, keys = cast(tuple[str, out.Buttons | None], page)
        await self._sender.edit(self._chat, int(ref), html, keys=keys)
        self.feedback_ref = f"{self._chat}:{ref}" if keys else self.feedback_ref

    async def add(self, page: object) -> None:
        html, keys = cast(tuple[str, out.Buttons | None], page)
        sent = await self._sender.send(self._chat, html, keys=keys)
        self.feedback_ref = f"{self._chat}:{sent.message_id}" if keys else self.feedback_ref

    async def notice(self, ref: str | None, text: str) -> None:
        await self._sender.say(self._chat, text)

    async def discard(self, ref: str) -> None:
        await self._sender.delete(self._chat, int(ref))


class TelegramHandlers:
    def __init__(
        self, *, conversation: Conversation, assistant: Assistant, sender: Sender,
        digest_lang: Lang, drafts: bool = True, papers: PaperSaver | None = None,
        notes: NoteTaker | None = None,
    ) -> None:
        self.conversation, self.drafts, self._papers = conversation, drafts, papers
        self._notes = notes
        self.no_drafts: set[int] = set()  # chats where Telegram refused drafts
        self._assistant, self._sender, self._digest_lang = assistant, sender, digest_lang

    async def dedupe(self, update: Update, context: Context) -> None:
        """Before everything: each update once."""
        if not self.conversation.first("update", str(update.update_id)):
            raise ApplicationHandlerStop

    async def on_text(self, update: Update, context: Context) -> None:
        message = update.effective_message
        if message is None or not message.text:
            return
        bot, group = context.bot, message.chat.type != ChatType.PRIVATE
        if group and not addressed(message, bot_id=bot.id, username=bot.username):
            return  # in groups: only when mentioned or replied to
        paper = None if group else arxiv_id_alone(message.text)
        if paper and self._papers is not None:  # a link alone in a DM: saved as a note
            if (asker := await self._gate(message)) is not None:
                await self._say(message.chat_id, await self._papers.take(paper, asker.lang))
            return
        await self._question(message, strip_handle(message.text, bot.username))

    async def on_ask(self, update: Update, context: Context) -> None:
        if update.effective_message is not None:
            await self._question(update.effective_message, " ".join(context.args or []))

    async def _question(self, message: Message, question: str) -> None:
        asker = await self._gate(message, question, "usage_ask", "/ask")
        if asker is None:
            return
        with contextlib.suppress(NetworkError):  # "typing…" is a courtesy, not the answer
            await message.get_bot().send_chat_action(message.chat_id, ChatAction.TYPING)
        private = message.chat.type == ChatType.PRIVATE
        outlet: Outlet = TelegramOutlet(
            self._sender, message.chat_id, None if private else message.id
        )
        if private and self.drafts and message.chat_id not in self.no_drafts:
            edits = outlet  # animated drafts, persisted by one final message
            stream = drafts.TelegramDrafts(self._sender, message.chat_id, message.id)
            outlet = StreamOutlet(stream, fallback=lambda: edits, retry_close=True,
                                  on_refused=lambda fault: self._refused(fault, message.chat_id))
        history = self.conversation.history(asker.chat)
        await self.conversation.answer(asker, question, outlet, history=history, remember=True)

    async def _send(self, chat: int, html: str, **options: Any) -> None:
        await self.conversation.reply(lambda: self._sender.send(chat, html, **options))

    async def _say(self, chat: int, text: str) -> None:
        await self.conversation.reply(lambda: self._sender.say(chat, text))

    def _refused(self, fault: WriteFault, chat: int) -> None:
        """Drafts refused for good: in this chat, or everywhere if the server lacks them."""
        everywhere = whole_bot(fault)
        if everywhere:
            self.drafts = False
        elif chat not in self.no_drafts:
            self.no_drafts.add(chat)
        else:
            return
        log.warning("Telegram refused drafts %s (%s); answering with edits there",
                    "on this server" if everywhere else f"in chat {chat}", fault.error)

    async def on_start(self, update: Update, context: Context) -> None:
        if (asker := await self._gate(update.effective_message)) is not None:
            await self._say(int(asker.chat), phrase("help", asker.lang))

    async def on_paper(self, update: Update, context: Context) -> None:
        query = " ".join(context.args or [])
        asker = await self._gate(update.effective_message, query, "usage_paper", "/paper")
        if asker is None:
            return
        summary = await self.conversation.summary(query, asker.lang)
        html = out.escape(summary) if isinstance(summary, str) else out.summary_html(summary)
        await self._send(int(asker.chat), html)

    async def on_search(self, update: Update, context: Context) -> None:
        query = " ".join(context.args or [])
        asker = await self._gate(update.effective_message, query, "usage_search", "/search")
        if asker is not None:
            for page in out.hits_html(await self._assistant.search(query, 5), asker.lang):
                await self._send(int(asker.chat), page)

    async def on_note(self, update: Update, context: Context) -> None:
        """``/note TEXT``: a dated entry in the notes folder's inbox."""
        message = update.effective_message
        text = command_body(message.text or "") if message else ""
        asker = await self._gate(message, text, "usage_note", "/note")
        if asker is not None and self._notes is not None:
            await self._say(int(asker.chat), await self._notes.note(text, asker.lang, "Telegram"))

    async def on_new(self, update: Update, context: Context) -> None:
        if (asker := await self._gate(update.effective_message)) is not None:
            await self._say(int(asker.chat), self.conversation.forget(asker))

    async def on_digest(self, update: Update, context: Context) -> None:
        if (asker := await self._gate(update.effective_message)) is not None:
            digest = await self.conversation.digest(asker.chat)
            for page, keys in out.digest_pages(digest, self._digest_lang):
                await self._send(int(asker.chat), page, keys=keys)

    async def on_subscribe(self, update: Update, context: Context) -> None:
        """/subscribe and /unsubscribe: the daily digest in this chat, or not."""
        message = update.effective_message
        on = bool(message and (message.text or "").startswith("/subscribe"))
        if (asker := await self._gate(message)) is not None:
            await self._say(int(asker.chat), self.conversation.subscribe(asker, on))

    async def on_inline(self, update: Update, context: Context) -> None:
        """``@bot words``: matching papers' 140-character summaries (allowlisted users only)."""
        if (query := update.inline_query) is None:
            return
        who = query.from_user
        found = await self.conversation.summaries(Asker(str(who.id), "", "en"), query.query)
        await query.answer([inline_result(s) for s in found], cache_time=0, is_personal=True)

    async def on_button(self, update: Update, context: Context) -> None:
        """A tap under an answer: a vote, its cited passages in full, or its papers' summaries."""
        query = update.callback_query
        if query is None or query.message is None or not query.data:
            return
        chat, lang = query.message.chat.id, language_of_client(query.from_user)
        asker = Asker(str(query.from_user.id), str(chat), lang)
        ref, kind = f"{chat}:{query.message.message_id}", query.data.removeprefix(FEEDBACK)
        vote = kind in ("up", "down")
        await query.answer((vote and self.conversation.vote(asker, ref, kind == "up")) or "")
        if vote or not self.conversation.allowed(asker.user, asker.chat):
            return
        if kind.startswith("save:"):  # a digest's new arXiv paper, as a note
            pages = [out.escape(await self._papers.save(kind[5:], lang))] if self._papers else []
        else:
            record = self.conversation.recorded(ref)
            summaries = await self.conversation.cited_summaries(record) if kind == "sum" else None
            pages = out.followup_html(record, summaries, lang)
        for page in pages:
            await self._send(chat, page, reply_to=query.message.message_id)

    async def on_error(self, update: object, context: Context) -> None:
        """Last resort (a handler raised): one apology, never silence."""
        if isinstance(context.error, WriteFault | NetworkError):  # Telegram's fault: one line
            log.error("Telegram handler failed: %s", context.error)
        else:
            log.error("Telegram handler failed: %r", context.error, exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            with contextlib.suppress(TelegramError, WriteFault):  # Telegram failing: nothing to do
                apology = phrase("apology", language_of_client(update.effective_user))
                await self._sender.say(update.effective_chat.id, apology)

    async def _gate(
        self, message: Message | None, text: str | None = None, usage: str = "", command: str = ""
    ) -> Asker | None:
        """The asker when allowed and something was asked; else the reason, said in the chat."""
        if message is None:
            return None
        user = message.from_user.id if message.from_user else None
        lang = language_of(text) if text else language_of_client(message.from_user)
        asker = Asker(None if user is None else str(user), str(message.chat_id), lang)
        usage_text = phrase(usage, lang, command=command) if usage else ""
        refusal = self.conversation.refusal(asker, text, usage_text)
        if refusal is not None:
            await self._say(message.chat_id, refusal.replace("`", ""))
            return None
        return asker

