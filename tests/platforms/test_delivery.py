"""The retry rules of the conversation's writes (bot.platforms.conversation.delivery)."""

from __future__ import annotations

import pytest

from bot.platforms.conversation.delivery import Delivery


class Flaky:
    """Fails the first ``failures`` calls with ``error``, then returns the call count."""

    def __init__(self, failures: int, error: Exception) -> None:
        self.calls, self._failures, self._error = 0, failures, error

    async def __call__(self) -> int:
        self.calls += 1
        if self.calls <= self._failures:
            raise self._error
        return self.calls


def delivery() -> Delivery:
    return Delivery(transient=lambda e: isinstance(e, ConnectionError), wait=0.001)


async def test_an_edit_is_retried_through_a_run_of_resets():
    write = Flaky(5, ConnectionResetError())
    assert await delivery().idempotent(write) == 6


async def test_a_new_message_is_sent_again_once_never_twice():
    assert await delivery().send(Flaky(1, ConnectionResetError())) == 2
    write = Flaky(2, ConnectionResetError())
    with pytest.raises(ConnectionResetError):
        await delivery().send(write)
    assert write.calls == 2


async def test_a_refused_write_is_not_retried():
    write = Flaky(1, ValueError("message to edit not found"))
    with pytest.raises(ValueError):
        await delivery().idempotent(write)
    assert write.calls == 1


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
