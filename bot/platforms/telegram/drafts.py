"""Telegram's animated drafts (sendMessageDraft) for private chats: the draft shows the answer
as it is written (plain text, ≤ 1 per second per chat) and one sendMessage persists the final
HTML. A draft that fails, stalls or is rate limited hands the answer to the edit-in-place
path; a final message that fails is sent again, going on from the page it stopped at."""

from __future__ import annotations

import asyncio

from bot.core.answers import Answer
from bot.platforms.dialects.telegram_faults import calling
from bot.platforms.dialects.telegram_html import keyed_pages
from bot.platforms.telegram.sender import Sender

# A draft slower than this (PTB's limiter waiting out a 429, a slow server) is no draft: the
# answer falls back to edits. (The limiter reads a retry count of 0 as "the default".)
_DRAFT_SECONDS = 2.0


class TelegramDrafts:
    def __init__(self, sender: Sender, chat: int, draft_id: int) -> None:
        self._sender, self._chat, self._id = sender, chat, draft_id
        self._pages_sent = 0
        self.feedback_ref: str | None = None

    async def status(self, text: str) -> None:
        """The first draft: "looking…"."""
        await self._sender.pacer.wait(self._chat)  # the chat's first write: at once
        await self._draft(text)

    def ready(self) -> bool:
        return self._sender.pacer.try_now(self._chat)  # busy: skip, the next draft supersedes

    async def show(self, delta: str, text: str) -> None:
        await self._draft(text)

    async def _draft(self, text: str) -> None:
        with calling("sendMessageDraft"):
            async with asyncio.timeout(_DRAFT_SECONDS):
                await self._sender.bot.send_message_draft(self._chat, self._id, text[:4096])

    async def close(self, answer: Answer, rest: str | None) -> None:
        for page, keys in keyed_pages(answer)[self._pages_sent :]:
            sent = await self._sender.send(self._chat, page, keys=keys)
            self._pages_sent += 1
            self.feedback_ref = f"{self._chat}:{sent.message_id}" if keys else None

    async def abandon(self) -> str | None:
        return None  # a draft is no message: the classic path starts afresh

    async def notice(self, text: str) -> None:
        await self._sender.say(self._chat, text)
