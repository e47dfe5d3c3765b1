"""Shared bot machinery: exactly-once claims, memory, allowlists, rate limits, draft relay."""

from __future__ import annotations

from bot.core.access import Allowlist, RateLimiter
from bot.core.answers import Answer, Delta, Done, Restart, Turn
from bot.platforms.conversation.relay import CURSOR, EditBudget, relay
from bot.state.store import StateStore


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_claims_are_exactly_once_across_restarts(tmp_path):
    store = StateStore(tmp_path / "state.sqlite3")
    assert store.claim("slack-event", "Ev1") is True
    assert store.claim("slack-event", "Ev1") is False
    assert store.claim("telegram-update", "Ev1") is True, "kinds are separate"
    store.close()
    reopened = StateStore(tmp_path / "state.sqlite3")
    assert reopened.claim("slack-event", "Ev1") is False
    reopened.release("slack-event", "Ev1")
    assert reopened.claim("slack-event", "Ev1") is True


def test_conversation_memory_keeps_the_latest_turns_per_chat(tmp_path):
    store = StateStore(tmp_path / "state.sqlite3")
    for i in range(5):
        store.remember("tg", "42", Turn("user", f"q{i}"), Turn("assistant", f"a{i}"), keep=6)
    store.remember("tg", "7", Turn("user", "other chat"))
    assert [t.text for t in store.history("tg", "42", 4)] == ["q3", "a3", "q4", "a4"]
    assert len(store.history("tg", "42", 100)) == 6
    store.forget("tg", "42")
    assert store.history("tg", "42", 10) == [] and len(store.history("tg", "7", 10)) == 1


def test_feedback_and_subscriptions(tmp_path):
    store = StateStore(tmp_path / "state.sqlite3")
    store.add_feedback("slack", "C1:1.0", "U1", "up")
    store.add_feedback("slack", "C1:1.0", "U1", "down")  # a change of mind replaces the vote
    assert store.feedback("slack") == [("C1:1.0", "U1", "down")]
    assert store.subscribe("telegram", "-100") and not store.subscribe("telegram", "-100")
    assert store.subscriptions("telegram") == ["-100"]
    assert store.unsubscribe("telegram", "-100") and store.subscriptions("telegram") == []


def test_allowlists_are_private_by_default():
    assert not Allowlist.of().allows("U1", "C1")
    allow = Allowlist.of(users=["U1", 42], chats=["C9"])
    assert allow.allows("U1") and allow.allows(42) and allow.allows("U2", "C9")
    assert not allow.allows("U2", "C1") and not allow.allows(None, None)


def test_rate_limit_is_per_user_and_slides():
    clock = Clock()
    limiter = RateLimiter(per_minute=2, clock=clock)
    assert limiter.wait_time("a") == 0 and limiter.wait_time("a") == 0
    assert limiter.wait_time("a") == 60.0 and limiter.wait_time("b") == 0
    clock.now += 30
    assert limiter.wait_time("a") == 30.0
    clock.now += 30
    assert limiter.wait_time("a") == 0


async def test_relay_throttles_drafts_and_returns_the_final_answer():
    clock = Clock()
    drafts: list[str] = []
    final = Answer("q", "final [1]", (), "llm", "en")

    async def events():
        for text in ["a", "b", "c"]:
            clock.now += 0.4
            yield Delta(text)
        clock.now += 1.0
        yield Restart("model failed")
        clock.now += 1.0
        yield Delta("x")
        yield Done(final)

    async def show(text: str) -> None:
        drafts.append(text)

    answer = await relay(events(), show_draft=show, interval=1.0, clock=clock)
    assert answer is final
    assert drafts == ["abc" + CURSOR, "x" + CURSOR], "≤ 1 edit per interval; a restart resets"


async def test_a_failing_draft_edit_does_not_lose_the_answer():
    async def events():
        yield Delta("partial")
        yield Done(Answer("q", "done", (), "llm", "en"))

    async def broken(text: str) -> None:
        raise ConnectionError("429")

    answer = await relay(events(), show_draft=broken, interval=0.0)
    assert answer.text == "done"


def test_edit_budget_is_shared_and_refills():
    clock = Clock()
    budget = EditBudget(per_minute=60, clock=clock)
    assert sum(budget.take() for _ in range(20)) == 10, "a ten-second burst"
    clock.now += 3
    assert sum(budget.take() for _ in range(20)) == 3
