"""What the Telegram bot does with DMs, group mentions and replies, and commands.

Every question: once per update id, allowlisted, rate limited, then "typing…", a placeholder
edited as the answer streams, and the final HTML (split at 4,096). Failures end in one short
apology, never silence.
"""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import Message, Update
from telegram.constants import ChatAction, ChatType
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.core.answers import Lang, Turn
from bot.core.assistant import Assistant
from bot.core.phrases import phrase
from bot.core.text import language_of
from bot.digest_service import DigestPlanner
from bot.platforms.inflight import InFlight
from bot.platforms.policy import BotPolicy
from bot.platforms.relay import relay
from bot.platforms.telegram.render import answer_html, digest_html, hits_html, summary_html
from bot.platforms.telegram.sender import Sender
from bot.state import StateStore

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE
SETTING = "NOTESBOT_TELEGRAM_ALLOWED_USERS"


class TelegramHandlers:
    def __init__(
        self,
        *,
        assistant: Assistant,
        state: StateStore,
        sender: Sender,
        policy: BotPolicy,
        digests: DigestPlanner | None = None,
    ) -> None:
        self._assistant = assistant
        self._state = state
        self._sender = sender
        self._policy = policy
        self._digests = digests
        self.inflight = InFlight()

    # --- before everything: each update once ---
    async def dedupe(self, update: Update, context: Context) -> None:
        if not self._state.claim("telegram-update", str(update.update_id)):
            log.info("update %s seen before; skipped", update.update_id)
            raise ApplicationHandlerStop

    # --- questions ---
    async def on_text(self, update: Update, context: Context) -> None:
        message = update.effective_message
        if message is None or not message.text:
            return
        if message.chat.type != ChatType.PRIVATE and not _addressed(message, context):
            return  # in groups: only when mentioned or replied to
        question = _strip_handle(message.text, context.bot.username)
        await self._question(message, question)

    async def on_ask(self, update: Update, context: Context) -> None:
        if update.effective_message is not None:
            await self._question(update.effective_message, " ".join(context.args or []))

    async def _question(self, message: Message, question: str) -> None:
        lang = language_of(question) if question else _lang(message)
        if not await self._gate(message, lang):
            return
        if not question:
            await self._sender.say(message.chat_id, phrase("usage_ask", lang, command="/ask"))
            return
        await self.answer(message, question, lang)

    async def answer(self, message: Message, question: str, lang: Lang) -> None:
        chat = message.chat_id
        async with self.inflight.track():
            try:
                await message.get_bot().send_chat_action(chat, ChatAction.TYPING)
                reply_to = None if message.chat.type == ChatType.PRIVATE else message.message_id
                thinking = phrase("thinking", lang)
                placeholder = await self._sender.say(chat, thinking, reply_to=reply_to)
                history = self._state.history("telegram", str(chat), self._policy.history_turns)
                answer = await relay(
                    self._assistant.stream(question, history),
                    show_draft=lambda text: self._sender.draft(
                        chat, placeholder.message_id, text
                    ),
                    interval=self._policy.draft_interval,
                )
                pages = answer_html(answer)
                await self._sender.edit(chat, placeholder.message_id, pages[0])
                for page in pages[1:]:
                    await self._sender.send(chat, page)
                turns = (Turn("user", question), Turn("assistant", answer.text))
                self._state.remember("telegram", str(chat), *turns)
            except Exception:
                log.exception("answering in chat %s failed", chat)
                await self._apologize(chat, lang)

    # --- commands ---
    async def on_start(self, update: Update, context: Context) -> None:
        message = update.effective_message
        if message is not None and await self._gate(message, _lang(message)):
            await self._sender.say(message.chat_id, phrase("help", _lang(message)))

    async def on_paper(self, update: Update, context: Context) -> None:
        message, query = update.effective_message, " ".join(context.args or [])
        lang = language_of(query) if query else _lang(message)
        if message is None or not await self._gate(message, lang):
            return
        if not query:
            await self._sender.say(message.chat_id, phrase("usage_paper", lang, command="/paper"))
        elif summary := await self._assistant.summarize(query):
            await self._sender.send(message.chat_id, summary_html(summary))
        else:
            await self._sender.say(message.chat_id, await self._assistant.no_paper(query, lang))

    async def on_search(self, update: Update, context: Context) -> None:
        message, query = update.effective_message, " ".join(context.args or [])
        lang = language_of(query) if query else _lang(message)
        if message is None or not await self._gate(message, lang):
            return
        if not query:
            usage = phrase("usage_search", lang, command="/search")
            await self._sender.say(message.chat_id, usage)
            return
        for page in hits_html(await self._assistant.search(query, 5), lang):
            await self._sender.send(message.chat_id, page)

    async def on_new(self, update: Update, context: Context) -> None:
        message = update.effective_message
        if message is not None and await self._gate(message, _lang(message)):
            self._state.forget("telegram", str(message.chat_id))
            await self._sender.say(message.chat_id, phrase("forgotten", _lang(message)))

    async def on_digest(self, update: Update, context: Context) -> None:
        message = update.effective_message
        if message is None or not await self._gate(message, _lang(message)):
            return
        target = f"telegram:{message.chat_id}"
        if self._digests is not None:
            digest = await self._digests.preview(target)
        else:
            today = datetime.now(ZoneInfo(self._policy.timezone)).date().isoformat()
            digest = await self._assistant.digest(target, today)
        for page in digest_html(digest, self._policy.digest_lang):
            await self._sender.send(message.chat_id, page)

    async def on_subscribe(self, update: Update, context: Context) -> None:
        await self._subscription(update, subscribe=True)

    async def on_unsubscribe(self, update: Update, context: Context) -> None:
        await self._subscription(update, subscribe=False)

    async def _subscription(self, update: Update, *, subscribe: bool) -> None:
        message = update.effective_message
        if message is None or not await self._gate(message, _lang(message)):
            return
        target = str(message.chat_id)
        if subscribe:
            self._state.subscribe("telegram", target)
        else:
            self._state.unsubscribe("telegram", target)
        key = "subscribed" if subscribe else "unsubscribed"
        await self._sender.say(message.chat_id, phrase(key, _lang(message)))

    # --- errors ---
    async def on_error(self, update: object, context: Context) -> None:
        log.error("Telegram handler failed: %r", context.error, exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            lang = _lang(update.effective_message) if update.effective_message else "en"
            await self._apologize(update.effective_chat.id, lang)

    async def _apologize(self, chat: int, lang: Lang) -> None:
        try:
            await self._sender.say(chat, phrase("apology", lang))
        except Exception as exc:  # Telegram itself is failing: log it, nothing else to do
            log.error("apology to chat %s failed: %s", chat, exc.__class__.__name__)

    # --- access ---
    async def _gate(self, message: Message, lang: Lang) -> bool:
        user = message.from_user.id if message.from_user else None
        if not self._policy.allow.allows(user, message.chat_id):
            log.info("refused user %s in chat %s: not on the allowlist", user, message.chat_id)
            text = phrase("not_allowed", lang, id=user, setting=SETTING)
            await self._sender.say(message.chat_id, text.replace("`", ""))
            return False
        if user is not None and (wait := self._policy.limiter.wait_time(str(user))):
            text = phrase("rate_limited", lang, seconds=round(wait))
            await self._sender.say(message.chat_id, text)
            return False
        return True


def _addressed(message: Message, context: Context) -> bool:
    """A group message for the bot: it mentions the bot, or replies to one of its messages."""
    replied = message.reply_to_message
    author = replied.from_user if replied is not None else None
    if author is not None and author.id == context.bot.id:
        return True
    handle = f"@{context.bot.username}".lower()
    return handle in (message.text or "").lower()


def _strip_handle(text: str, username: str | None) -> str:
    if username:
        text = text.replace(f"@{username}", " ")
    return " ".join(text.split())


def _lang(message: Message | None) -> Lang:
    user = message.from_user if message is not None else None
    code = (user.language_code or "") if user is not None else ""
    return "ja" if code.startswith("ja") else "en"
