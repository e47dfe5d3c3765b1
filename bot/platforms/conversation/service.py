"""The conversation every chat platform shares: who may ask, exactly once, memory, the answer
stream, summaries, digest subscriptions and feedback.

A platform adapter translates its events into these calls and hands over an ``Outlet`` that
writes in its dialect; nothing here knows Slack's or Telegram's API.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.core.answers import Answer, Lang, Summary, Turn
from bot.core.assistant import Assistant
from bot.core.digest import Digest
from bot.core.phrases import phrase
from bot.platforms.conversation.delivery import Delivery, WriteFault
from bot.platforms.conversation.inflight import InFlight
from bot.platforms.conversation.outlet import Outlet
from bot.platforms.conversation.policy import BotPolicy
from bot.platforms.conversation.relay import EditBudget, relay
from bot.state.store import StateStore

log = logging.getLogger(__name__)


class DigestPreviews(Protocol):
    async def preview(self, target: str) -> Digest: ...


@dataclass(frozen=True, slots=True)
class Asker:
    """Who asks, where, in which language."""

    user: str | None
    chat: str
    lang: Lang


class Conversation:
    def __init__(
        self,
        *,
        platform: str,
        assistant: Assistant,
        state: StateStore,
        policy: BotPolicy,
        allow_setting: str,
        delivery: Delivery | None = None,
        budget: EditBudget | None = None,
        digests: DigestPreviews | None = None,
    ) -> None:
        self.platform = platform
        self.policy = policy
        self.inflight = InFlight()
        self._assistant = assistant
        self._state = state
        self._setting = allow_setting
        self._delivery = delivery or Delivery()
        self._budget = budget
        self._digests = digests

    # --- who may ask, and only once ---
    def first(self, kind: str, key: str) -> bool:
        """True the first time this event is seen (restarts included)."""
        return self._state.claim(f"{self.platform}-{kind}", key)

    def seen(self, kind: str, key: str) -> bool:
        return self._state.has_claim(f"{self.platform}-{kind}", key)

    def allowed(self, user: str | None, chat: str | None) -> bool:
        return self.policy.allow.allows(user, chat)

    def refusal(self, asker: Asker, question: str | None = None, usage: str = "") -> str | None:
        """Why this is not answered (a stranger, too many questions, nothing asked), or None.
        ``question`` None: nothing needs asking (a command without arguments)."""
        if not self.allowed(asker.user, asker.chat):
            log.info("refused %s in %s: not on the allowlist", asker.user, asker.chat)
            return phrase("not_allowed", asker.lang, id=asker.user, setting=self._setting)
        if asker.user is not None and (wait := self.policy.limiter.wait_time(asker.user)):
            return phrase("rate_limited", asker.lang, seconds=round(wait))
        return usage if question is not None and not question else None

    # --- memory ---
    def history(self, chat: str) -> list[Turn]:
        return self._state.history(self.platform, chat, self.policy.history_turns)

    def forget(self, asker: Asker) -> str:
        self._state.forget(self.platform, asker.chat)
        return phrase("forgotten", asker.lang)

    # --- answers ---
    async def answer(
        self,
        asker: Asker,
        question: str,
        outlet: Outlet,
        *,
        history: Sequence[Turn] = (),
        remember: bool = False,
        thread: str | None = None,
    ) -> Answer | None:
        """Placeholder, streamed drafts, the final pages; an apology when it fails. Turns are
        remembered per chat when ``remember``; a ``thread`` answered in is marked as joined."""
        async with self.inflight.track():
            ref: str | None = None
            try:
                ref = await self._placeholder(outlet, asker)
                answer = await relay(
                    self._assistant.stream(question, list(history)),
                    show_draft=lambda text: self._draft(outlet, ref, text),
                    interval=self.policy.draft_interval,
                    budget=self._budget,
                )
            except Exception:
                log.exception("answering in %s failed", asker.chat)
                await self._notice(outlet, ref, phrase("apology", asker.lang))
                return None
            if not await self._deliver(outlet, ref, answer, asker):
                return None
        if thread is not None:
            self.first("thread", f"{asker.chat}:{thread}")
        if remember:
            turns = (Turn("user", question), Turn("assistant", answer.text))
            self._state.remember(self.platform, asker.chat, *turns)
        if answer.found and outlet.feedback_ref:
            self._state.record_answer(self.platform, outlet.feedback_ref, asker.user, answer)
        return answer

    async def _placeholder(self, outlet: Outlet, asker: Asker) -> str | None:
        """The "looking…" message, or None when it could not be posted: the answer then comes
        as new messages, without drafts (a lost placeholder must not lose the answer)."""
        try:
            thinking = phrase("thinking", asker.lang)
            return await self._delivery.write(lambda: outlet.start(thinking), patience=8.0)
        except WriteFault:
            log.warning("placeholder in %s not posted; answering without it", asker.chat)
            return None

    async def _draft(self, outlet: Outlet, ref: str | None, text: str) -> None:
        if ref is not None:
            await self._delivery.once(lambda: outlet.draft(ref, text))

    async def _deliver(
        self, outlet: Outlet, ref: str | None, answer: Answer, asker: Asker
    ) -> bool:
        """The answer in place of the placeholder; failing that, posted anew; failing that,
        the "could not be delivered" notice. Each step is retried within the patience."""
        pages = list(outlet.pages(ref or "", answer))
        deadline = time.monotonic() + self._delivery.patience
        orphan: str | None = None
        try:
            if ref is not None:
                first = pages[0]
                await self._delivery.write(lambda: outlet.replace(ref, first),
                                           patience=self._delivery.patience * 2 / 3)
                pages.pop(0)
        except WriteFault:
            log.warning("answer in %s not delivered in place; posting it anew", asker.chat)
            orphan = ref
        try:
            for page in pages:  # a long answer continues below
                left = max(10.0, deadline - time.monotonic())
                await self._delivery.write(lambda page=page: outlet.add(page), patience=left)
        except WriteFault:
            log.error("answer in %s could not be delivered", asker.chat)
            await self._notice(outlet, ref, phrase("undelivered", asker.lang))
            return False
        if orphan is not None:  # the answer is below: the "looking…" above it goes
            await self._delivery.once(lambda: outlet.discard(orphan))
        return True

    async def _notice(self, outlet: Outlet, ref: str | None, text: str) -> None:
        """The last word to the user, in place of ``ref`` or else below; if even that fails,
        the log is all there is."""
        for where in dict.fromkeys((ref, None)):
            try:
                return await self._delivery.write(lambda where=where: outlet.notice(where, text),
                                                  patience=10.0)
            except WriteFault:
                continue
        log.error("could not tell the user in either way")

    # --- commands ---
    async def reply(self, write: Callable[[], Awaitable[object]]) -> bool:
        """A command's reply, retried like an answer; False (logged) if it never got through."""
        try:
            await self._delivery.write(write)
        except WriteFault:
            return False
        return True

    async def summary(self, query: str, lang: Lang) -> Summary | str:
        """The paper's 140-character summary, or why there is none (with near titles)."""
        found = await self._assistant.summarize(query)
        return found if found is not None else await self._assistant.no_paper(query, lang)

    async def digest(self, chat: str) -> Digest:
        target = f"{self.platform}:{chat}"
        if self._digests is not None:
            return await self._digests.preview(target)
        today = datetime.now(ZoneInfo(self.policy.timezone)).date().isoformat()
        return await self._assistant.digest(target, today)

    async def summaries(self, asker: Asker, query: str, k: int = 5) -> list[Summary]:
        """Inline mode: the summaries of the papers best matching ``query`` (allowlisted)."""
        if not query.strip() or not self.allowed(asker.user, None):
            return []
        hits = await self._assistant.search(query, 20)
        titles = list(dict.fromkeys(h.chunk.paper for h in hits if h.chunk.paper))[:k]
        found = [await self._assistant.summarize(title) for title in titles]
        return [s for s in found if s is not None]

    def subscribe(self, asker: Asker, on: bool) -> str:
        change = self._state.subscribe if on else self._state.unsubscribe
        change(self.platform, asker.chat)
        return phrase("subscribed" if on else "unsubscribed", asker.lang)

    def recorded(self, ref: str) -> dict[str, Any] | None:
        """The answer ``ref`` as recorded: its question, text and cited passages."""
        return self._state.answer_record(self.platform, ref)

    async def cited_summaries(self, record: dict[str, Any] | None, k: int = 3) -> list[Summary]:
        """The 140-character summaries of the papers a recorded answer cites."""
        cited = record["citations"] if record is not None else []
        titles = list(dict.fromkeys(c["paper"] for c in cited if c.get("paper")))[:k]
        found = [await self._assistant.summarize(title) for title in titles]
        return [s for s in found if s is not None]

    def note(self, asker: Asker, ref: str, text: str) -> bool:
        """The voter's words on what was wrong, kept with their vote."""
        if asker.user is None or not text.strip() or not self.allowed(asker.user, asker.chat):
            return False
        return self._state.add_note(self.platform, ref, asker.user, text.strip())

    def vote(self, asker: Asker, ref: str, up: bool) -> str | None:
        """Record 👍/👎 on an answer; None (nothing said) for someone not allowed to ask."""
        if asker.user is None or not self.allowed(asker.user, asker.chat):
            return None
        self._state.add_feedback(self.platform, ref, asker.user, "up" if up else "down")
        return phrase("feedback_thanks", asker.lang)
