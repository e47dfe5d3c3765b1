"""The retry rules of the conversation's writes (bot.platforms.conversation.delivery)."""

from __future__ import annotations

import logging
import time

import pytest

from bot.platforms.conversation.delivery import Delivery, WriteFault


class Flaky:
    """Fails the first ``failures`` calls with ``fault``, then returns the call count."""

    def __init__(self, failures: int, fault: Exception) -> None:
        self.calls, self._failures, self._fault = 0, failures, fault
        self.at: list[float] = []

    async def __call__(self) -> int:
        self.calls += 1
        self.at.append(time.monotonic())
        if self.calls <= self._failures:
            raise self._fault
        return self.calls


def delivery(patience: float = 5.0) -> Delivery:
    return Delivery(patience=patience, first_wait=0.01, max_wait=0.05)


async def test_a_write_is_retried_through_a_run_of_faults():
    write = Flaky(5, WriteFault("chat.update", "connection lost"))
    assert await delivery().write(write) == 6


async def test_retry_after_is_honoured():
    write = Flaky(1, WriteFault("sendMessage", "429 flood control", retry_after=0.6))
    await delivery().write(write)
    assert write.at[1] - write.at[0] >= 0.6


async def test_a_permanent_fault_is_not_retried():
    write = Flaky(1, WriteFault("chat.update", "channel_not_found", permanent=True))
    with pytest.raises(WriteFault):
        await delivery().write(write)
    assert write.calls == 1


async def test_a_fault_that_never_clears_is_given_up_after_the_patience(caplog):
    write = Flaky(10**6, WriteFault("chat.update", "internal_error"))
    started = time.monotonic()
    with caplog.at_level(logging.WARNING), pytest.raises(WriteFault):
        await delivery(patience=0.5).write(write)
    assert 0.3 <= time.monotonic() - started < 1.0
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == write.calls, "one line per fault"
    assert all(line.startswith("chat.update: internal_error") for line in lines)
    assert lines[-1].endswith("(gave up)") and not any(r.exc_info for r in caplog.records)


async def test_a_bug_is_not_a_fault_and_is_not_retried():
    write = Flaky(1, ValueError("a bug"))
    with pytest.raises(ValueError):
        await delivery().write(write)
    assert write.calls == 1


async def test_a_best_effort_write_is_tried_once():
    write = Flaky(1, WriteFault("sendMessageDraft", "timeout"))
    assert await delivery().once(write) is None and write.calls == 1


def test_a_stream_appends_only_what_is_new_and_notices_a_rewrite():
    from bot.platforms.conversation.relay import CURSOR
    from bot.platforms.conversation.streaming import Appender

    stream = Appender()
    assert stream.delta("自己注意" + CURSOR) == "自己注意"
    assert stream.delta("自己注意だけで" + CURSOR) == "だけで"
    assert stream.delta("自己注意だけで") == ""
    assert stream.rest("自己注意だけで速い [1]。") == "速い [1]。"
    assert stream.delta("別の答え") == "" and stream.diverged, "a restart is not appended"
    assert stream.rest("自己注意だけで速い [1]。") is None, "the final answer must replace it"
