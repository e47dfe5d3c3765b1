"""Sending and editing the way Telegram wants it.

* at most one message or edit per second per chat (AIORateLimiter paces groups and the whole
  bot, not private chats); drafts are skipped rather than queued when a chat is busy;
* HTML parse mode, and if Telegram still "can't parse entities", the same text as plain text;
* link previews off (a prompt-injected link must not fetch anything).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from typing import cast

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.core.answers import Summary
from bot.platforms.conversation.delivery import WriteFault
from bot.platforms.conversation.pacing import ChatPacer
from bot.platforms.dialects.telegram_faults import calling
from bot.platforms.dialects.telegram_html import Buttons, escape, plain, summary_html

log = logging.getLogger(__name__)
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
FEEDBACK = "fb:"  # callback data prefix of the bot's buttons (answers, digests)


def keyboard(buttons: Buttons | None) -> InlineKeyboardMarkup | None:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=f"{FEEDBACK}{data}") for label, data in row]
         for row in buttons]) if buttons else None


def inline_result(summary: Summary) -> InlineQueryResultArticle:
    """A paper offered in inline mode: its title, its 140 characters, and that as the post."""
    post = InputTextMessageContent(summary_html(summary), parse_mode=ParseMode.HTML,
                                   link_preview_options=_NO_PREVIEW)
    key = hashlib.blake2b(summary.paper.encode(), digest_size=8).hexdigest()
    return InlineQueryResultArticle(key, summary.paper, post, description=summary.text)


class Sender:
    def __init__(self, *, bot: Bot, pacer: ChatPacer) -> None:
        self.bot, self.pacer = bot, pacer

    async def send(
        self, chat_id: int, html: str, *, reply_to: int | None = None, keys: Buttons | None = None
    ) -> Message:
        await self.pacer.wait(chat_id)
        reply = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
        markup = keyboard(keys)
        with calling("sendMessage"):
            sent = await _html_or_plain(html, lambda text, mode: self.bot.send_message(
                chat_id, text, parse_mode=mode, link_preview_options=_NO_PREVIEW,
                reply_parameters=reply, reply_markup=markup))
        return cast(Message, sent)  # "not modified" is an edit's answer only

    async def say(self, chat_id: int, text: str, *, reply_to: int | None = None) -> Message:
        """Plain text (escaped here, so user words like "a < b" are safe)."""
        return await self.send(chat_id, escape(text), reply_to=reply_to)

    async def edit(
        self, chat_id: int, message_id: int, html: str, *, keys: Buttons | None = None
    ) -> None:
        await self.pacer.wait(chat_id)
        markup = keyboard(keys)
        with calling("editMessageText"):
            await _html_or_plain(html, lambda text, mode: self.bot.edit_message_text(
                text, chat_id=chat_id, message_id=message_id, parse_mode=mode,
                link_preview_options=_NO_PREVIEW, reply_markup=markup))

    async def delete(self, chat_id: int, message_id: int) -> None:
        with calling("deleteMessage"):
            await self.bot.delete_message(chat_id, message_id)

    async def draft(self, chat_id: int, message_id: int, text: str) -> None:
        """Show a draft as plain text (partial Markdown is no valid HTML) if the chat is free."""
        if not self.pacer.try_now(chat_id):
            return
        try:
            with calling("editMessageText"):
                await self.bot.edit_message_text(
                    text[:4000], chat_id=chat_id, message_id=message_id,
                    link_preview_options=_NO_PREVIEW,
                )
        except WriteFault as fault:
            if "message is not modified" not in fault.error.lower():
                raise


async def _html_or_plain(
    html: str, call: Callable[[str, str | None], Awaitable[Message | bool]]
) -> Message | bool | None:
    """``call`` in HTML parse mode; if Telegram "can't parse entities", the same words plain.
    An edit to what is already shown is done (None)."""
    try:
        return await call(html, ParseMode.HTML)
    except BadRequest as exc:
        if _says(exc, "message is not modified"):
            return None
        if not _says(exc, "can't parse entities"):
            raise
        log.warning("Telegram could not parse our HTML (%s); resending as plain text",
                    exc.message)
        return await call(plain(html), None)


def _says(exc: BadRequest, words: str) -> bool:
    return words in exc.message.lower()
