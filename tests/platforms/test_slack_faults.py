"""No answer lost, whatever Slack returns: every fault on every write method, through the real
Bolt app against the fake Slack, all cells at once (each in its own conversation).

In each cell the user ends with exactly one complete, cited answer (or, when nothing can be
posted at all, nothing but log lines), and the next question is answered normally."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.core.phrases import phrase
from tests.fakes.base import Fault
from tests.fakes.openai_fake import MODEL, Reply
from tests.fakes.slack_events import event_callback, mention, message
from tests.platforms.fault_cells import Cell, cells, quiet, report, settle
from tests.platforms.test_slack_bot import ALLOWED, slack_settings
from tests.platforms.test_slack_streaming import ANSWER
from tests.platforms.worlds import World, running

QUESTION = "Transformer はなぜ学習が速い？"
SOURCE = "deep-dive_attention.md"
NOTICES = {phrase(k, lang) for k in ("apology", "undelivered") for lang in ("ja", "en")}
THINKING = {phrase("thinking", lang) for lang in ("ja", "en")}
STREAMS = ["chat.startStream", "chat.appendStream", "chat.stopStream",
           "assistant.threads.setStatus"]


def visible(message: dict) -> str:
    return f"{message.get('text', '')}\n{message.get('blocks') or ''}"


class Conversations:
    """Questions in a channel of their own, and what the user then sees there."""

    def __init__(self, world: World, *, dm: bool) -> None:
        self.world, self.dm = world, dm

    async def ask(self, channel: str) -> None:
        ts = self.world.fake.next_ts()
        if self.dm:
            event = message(QUESTION, user=ALLOWED, channel=channel, ts=ts, channel_type="im")
        else:
            event = mention(QUESTION, user=ALLOWED, channel=channel, ts=ts)
        await self.world.fake.deliver("events_api", event_callback(event))

    def seen(self, channel: str) -> list[dict]:
        with self.world.fake._lock:
            return [dict(m) for m in self.world.fake.messages.get(channel, [])]

    def answers(self, channel: str, done: str) -> list[dict]:
        return [m for m in self.seen(channel) if SOURCE in str(m.get("blocks")) and done in
                visible(m)]

    async def settle(self, channel: str, count: int, done: str, *, limit: float = 90) -> None:
        await settle(lambda: len(self.answers(channel, done)), lambda: self.calls(channel),
                     count, limit=limit)

    def calls(self, channel: str) -> int:
        return sum(1 for c in self.world.fake.calls
                   if (c.params.get("channel") or c.params.get("channel_id")) == channel)

    def verdict(self, channel: str, want: int, done: str) -> str | None:
        seen = self.seen(channel)
        answers = self.answers(channel, done)
        if len(answers) != want:
            return f"{len(answers)} complete answers, not {want}: {[visible(m)[:80] for m in seen]}"
        if notices := [m for m in seen if m.get("text") in NOTICES]:
            return f"a notice besides the answer: {notices}"
        if open_ := [m for m in seen if m.get("streaming")]:
            return f"a stream left open: {open_}"
        if left := [m for m in seen if m.get("text") in THINKING]:
            return f"a placeholder left unanswered: {left}"
        return None


async def run_cell(talk: Conversations, cell: Cell, channel: str, done: str) -> str | None:
    fake = talk.world.fake
    fake.faults.add(cell.method, cell.fault, chat=channel, times=None if cell.forever else 1)
    await talk.ask(channel)
    await talk.settle(channel, 1, done, limit=75 if cell.forever else 45)
    fake.faults.clear(channel)
    await talk.ask(channel)  # the next question, normally
    await talk.settle(channel, 2, done)
    return talk.verdict(channel, 2, done)


async def run_matrix(talk: Conversations, matrix: list[Cell], done: str) -> dict[str, str]:
    prefix = "D" if talk.dm else "C"
    verdicts = await asyncio.gather(*(
        run_cell(talk, cell, f"{prefix}{i:03d}", done) for i, cell in enumerate(matrix)
    ))
    return {cell.name: why for cell, why in zip(matrix, verdicts, strict=True) if why}


@pytest.fixture
async def streaming_world(sample_index, embedder, tmp_path, openai_server):
    openai_server.script(*[Reply(ANSWER, pace=0.1)] * 200)  # ~3 s: a start and appends

    def settings(fake):
        return slack_settings(sample_index, fake, slack_native_streaming=True,
                              llm_base_url=openai_server.base_url, llm_model=MODEL)

    async with running("slack", settings, embedder, tmp_path) as world:
        yield world


@pytest.fixture
async def classic_world(sample_index, embedder, tmp_path):
    def settings(fake):
        return slack_settings(sample_index, fake)

    async with running("slack", settings, embedder, tmp_path) as world:
        yield world


async def test_every_fault_on_a_stream_call_still_ends_in_one_answer(streaming_world, caplog):
    matrix = cells(STREAMS, slack=True)
    matrix.append(Cell("chat.startStream", "HTTP 500", Fault.http(500), forever=True))
    talk = Conversations(streaming_world, dm=True)
    done = ANSWER[-20:]  # the answer's last words: it arrived whole
    with caplog.at_level(logging.INFO):
        failures = await run_matrix(talk, matrix, done)
    assert not failures, "\n" + report(failures)
    assert not [r for r in caplog.records if r.exc_info], "no tracebacks for expected faults"
    assert streaming_world.bot.events.no_streams == set(), "no fault here refuses streams"


async def test_every_fault_on_a_post_or_edit_still_ends_in_one_answer(classic_world, caplog):
    talk = Conversations(classic_world, dm=False)
    await talk.ask("CREF")
    await talk.settle("CREF", 1, "")
    (reference,) = talk.answers("CREF", "")
    done = reference["text"][-30:]
    matrix = cells(["chat.postMessage", "chat.update"], slack=True)
    matrix.append(Cell("chat.update", "HTTP 500", Fault.http(500), forever=True))
    with caplog.at_level(logging.INFO):
        failures = await run_matrix(talk, matrix, done)
    assert not failures, "\n" + report(failures)
    lines = [r.getMessage() for r in caplog.records]
    assert not [r for r in caplog.records if r.exc_info], "no tracebacks for expected faults"
    for method in ("chat.postMessage", "chat.update"):
        for error in ("something_nobody_has_seen", "HTTP 500"):
            assert any(line.startswith(f"{method}: {error}") for line in lines), (
                method, error, lines)


@pytest.fixture
async def impatient_world(sample_index, embedder, tmp_path):
    def settings(fake):
        return slack_settings(sample_index, fake, delivery_patience=6.0)

    async with running("slack", settings, embedder, tmp_path) as world:
        yield world


async def test_when_slack_takes_no_post_at_all_the_bot_recovers(impatient_world, caplog):
    classic_world = impatient_world
    talk = Conversations(classic_world, dm=False)
    classic_world.fake.faults.add("chat.postMessage", Fault.http(500), chat="CDOWN", times=None)
    with caplog.at_level(logging.WARNING):
        await talk.ask("CDOWN")
        await asyncio.sleep(1)
        await quiet(lambda: talk.calls("CDOWN"), 8.0)
    assert talk.seen("CDOWN") == [], "nothing could be posted"
    lines = [r.getMessage() for r in caplog.records]
    assert any("could not be delivered" in line for line in lines), lines
    assert not [r for r in caplog.records if r.exc_info]
    classic_world.fake.faults.clear("CDOWN")
    await talk.ask("CDOWN")
    await talk.settle("CDOWN", 1, "")
    assert len(talk.answers("CDOWN", "")) == 1

