"""No answer lost, whatever Telegram returns: every fault on every write method, through the
real PTB Application against the fake Bot API, all cells at once (each in its own chat).

In each cell the user ends with exactly one complete, cited answer, and the next question is
answered normally."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

import pytest

from bot.core.access import Allowlist
from tests.fakes.base import Fault
from tests.fakes.openai_fake import MODEL, Reply
from tests.fakes.telegram_updates import private_text
from tests.platforms.fault_cells import Cell, cells, report, settle
from tests.platforms.test_slack_streaming import ANSWER
from tests.platforms.test_telegram_bot import APOLOGIES, PLACEHOLDERS, telegram_settings
from tests.platforms.worlds import World, running

QUESTION = "Transformer はなぜ学習が速い？"
SOURCE = "deep-dive_attention.md"
FIRST_CHAT = 7000


class Chats:
    """Questions in a private chat of their own, and what the user then sees there."""

    def __init__(self, world: World, chats: list[int]) -> None:
        self.world = world
        talk = world.bot.handlers.conversation
        talk.policy = replace(talk.policy, allow=Allowlist.of(users=[str(c) for c in chats]))

    def ask(self, chat: int) -> None:
        self.world.fake.push_update(private_text(QUESTION, user_id=chat))

    def answers(self, chat: int, done: str) -> list[dict]:
        return [m for m in self.world.fake.messages(chat)
                if m["parse_mode"] == "HTML" and SOURCE in m["text"] and done in m["text"]]

    async def settle(self, chat: int, count: int, done: str, *, limit: float = 60) -> None:
        await settle(lambda: len(self.answers(chat, done)), lambda: self.calls(chat), count,
                     limit=limit)

    def calls(self, chat: int) -> int:
        return sum(1 for c in self.world.fake.calls if c.params.get("chat_id") == chat)

    def verdict(self, chat: int, want: int, done: str) -> str | None:
        seen = self.world.fake.messages(chat)
        if len(answers := self.answers(chat, done)) != want:
            return f"{len(answers)} complete answers, not {want}: {[m['text'][:60] for m in seen]}"
        if notices := [m for m in seen if m["text"] in APOLOGIES]:
            return f"a notice besides the answer: {notices}"
        if left := [m for m in seen if m["text"] in PLACEHOLDERS]:
            return f"a placeholder left unanswered: {left}"
        return None


async def run_cell(talk: Chats, cell: Cell, chat: int, done: str) -> str | None:
    # A draft fault lasts two calls: the "looking…" draft, then the answer's first draft.
    times = None if cell.forever else 2 if cell.method == "sendMessageDraft" else 1
    talk.world.fake.faults.add(cell.method, cell.fault, chat=str(chat), times=times)
    talk.ask(chat)
    await talk.settle(chat, 1, done)
    talk.world.fake.faults.clear(str(chat))
    talk.ask(chat)  # the next question, normally
    await talk.settle(chat, 2, done)
    return talk.verdict(chat, 2, done)


async def run_matrix(world: World, matrix: list[Cell], done: str) -> dict[str, str]:
    chats = [FIRST_CHAT + i for i in range(len(matrix))]
    talk = Chats(world, chats)
    verdicts = await asyncio.gather(*(
        run_cell(talk, cell, chat, done) for cell, chat in zip(matrix, chats, strict=True)
    ))
    return {cell.name: why for cell, why in zip(matrix, verdicts, strict=True) if why}


@pytest.fixture
async def drafts_world(sample_index, embedder, tmp_path, openai_server):
    openai_server.script(*[Reply(ANSWER, pace=0.1)] * 100)  # ~3 s: several drafts

    def settings(fake):
        return telegram_settings(sample_index, fake, telegram_drafts=True, telegram_timeout=20.0,
                                 llm_base_url=openai_server.base_url, llm_model=MODEL)

    async with running("telegram", settings, embedder, tmp_path) as world:
        yield world


@pytest.fixture
async def edits_world(sample_index, embedder, tmp_path):
    def settings(fake):
        return telegram_settings(sample_index, fake, telegram_timeout=20.0)

    async with running("telegram", settings, embedder, tmp_path) as world:
        yield world


async def test_every_fault_on_a_draft_or_the_final_message_still_ends_in_one_answer(
    drafts_world, caplog
):
    matrix = cells(["sendMessageDraft", "sendMessage"], slack=False)
    matrix.append(Cell("sendMessageDraft", "HTTP 500", Fault.http(500), forever=True))
    with caplog.at_level(logging.INFO):
        failures = await run_matrix(drafts_world, matrix, ANSWER[-20:])
    assert not failures, "\n" + report(failures)
    assert not [r for r in caplog.records if r.exc_info], "no tracebacks for expected faults"
    lines = [r.getMessage() for r in caplog.records]
    assert any(line.startswith("sendMessage: Internal Server Error") for line in lines), lines


async def test_every_fault_on_an_edit_still_ends_in_one_answer(edits_world, caplog):
    reference_chat = FIRST_CHAT - 1
    talk = Chats(edits_world, [reference_chat])
    talk.ask(reference_chat)
    await talk.settle(reference_chat, 1, "")
    (reference,) = talk.answers(reference_chat, "")
    matrix = cells(["editMessageText", "sendMessage"], slack=False)
    matrix.append(Cell("editMessageText", "HTTP 500", Fault.http(500), forever=True))
    with caplog.at_level(logging.INFO):
        failures = await run_matrix(edits_world, matrix, reference["text"][-30:])
    assert not failures, "\n" + report(failures)
    assert not [r for r in caplog.records if r.exc_info], "no tracebacks for expected faults"
