"""The digest's arXiv section end to end: a fake export API (Atom over HTTP), the real index of
the sample notes, fake Slack and Telegram; ranking, faults, exactly-once, save as note."""

from __future__ import annotations

import itertools
import json
import logging
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.app.arxiv import build_arxiv
from bot.app.parts import Parts, build_parts
from bot.core.phrases import phrase
from tests.fakes.arxiv_fake import FakeArxiv, FakeEntry, Fault
from tests.fakes.openai_fake import MODEL
from tests.fakes.slack_events import block_action
from tests.fakes.slack_fake import FakeSlack
from tests.fakes.telegram_fake import FakeTelegram
from tests.fakes.telegram_updates import callback_query
from tests.support import eventually, run_ingest, runtime_for, sample_copy

CHANNEL, CHAT, USER = "CDIGEST", -100777, "UOWNER"
NOTESBOT = Path(sys.executable).with_name("notesbot")
UNRELATED = Path(__file__).parents[1] / "data" / "arxiv_unrelated.jsonl"
DAY = datetime(2026, 11, 24, 10, 30, tzinfo=UTC) - timedelta(hours=9)  # 10:30 JST
# Real papers close to the sample notes (transformers, dense retrieval, sentence embeddings),
# with abstracts in our own words.
RELATED = {
    "2004.05150": ("Longformer: The Long-Document Transformer",
                   "Self-attention cost grows quadratically with sequence length, so Transformer "
                   "models cannot read long documents. We propose an attention pattern that "
                   "scales linearly, mixing local windowed attention with global attention."),
    "2104.08821": ("SimCSE: Simple Contrastive Learning of Sentence Embeddings",
                   "We present a contrastive learning framework for sentence embeddings: a "
                   "sentence is encoded twice with dropout noise and the two embeddings form a "
                   "positive pair. It improves BERT sentence embeddings on semantic similarity."),
    "2112.01488": ("ColBERTv2: Effective and Efficient Retrieval via Lightweight Late "
                   "Interaction", "Late interaction retrievers encode queries and passages "
                   "into token-level vectors. We compress these vectors with residual "
                   "representations and denoised supervision, improving passage retrieval."),
    "2112.09118": ("Unsupervised Dense Information Retrieval with Contrastive Learning",
                   "Dense retrievers need labeled question-passage pairs. We train a dense "
                   "passage retriever with contrastive learning and no supervision; it beats "
                   "BM25 on most datasets of a zero-shot retrieval benchmark."),
}
NOTED = ("1706.03762", "Attention Is All You Need")  # in the sample notes already


def listing() -> list[FakeEntry]:
    stamp = lambda n: f"2026-11-24T{n % 24:02d}:{n % 60:02d}:00Z"  # noqa: E731
    entries = [FakeEntry(f"{i}v1", title, stamp(n), summary=abstract)
               for n, (i, (title, abstract)) in enumerate(RELATED.items())]
    entries.append(FakeEntry(f"{NOTED[0]}v7", NOTED[1], stamp(5), summary="Attention only."))
    rows = [json.loads(line) for line in UNRELATED.read_text().splitlines()[:30]]
    entries += [FakeEntry(f"{r['arxiv_id']}v1", r["title"], stamp(n + 6), summary=r["abstract"],
                          categories=("cs.LG", *r["categories"])) for n, r in enumerate(rows)]
    return entries


@pytest.fixture
def fakes():
    arxiv, slack, telegram = FakeArxiv().start(), FakeSlack().start(), FakeTelegram().start()
    arxiv.entries = listing()
    yield arxiv, slack, telegram
    for fake in (arxiv, slack, telegram):
        fake.stop()


@pytest.fixture
def settings(tmp_path, embedder, fakes):
    arxiv, slack, telegram = fakes
    return sample_copy(tmp_path, embedder).model_copy(update={
        "slack_bot_token": SecretStr("xoxb-test"), "slack_app_token": SecretStr("xapp-test"),
        "slack_api_url": slack.api_url, "slack_allowed_users": [USER],
        "telegram_token": SecretStr("123:TEST"), "telegram_base_url": telegram.base_url,
        "telegram_allowed_chats": [str(CHAT)], "telegram_poll_timeout": 1,
        "digest_slack_channels": [CHANNEL], "digest_telegram_chats": [str(CHAT)],
        "arxiv_categories": ["cs.CL", "cs.LG"], "arxiv_base_url": arxiv.base_url,
        "arxiv_request_interval": 0.01, "arxiv_timeout": 0.5, "arxiv_digest_size": 4,
    })


def make_parts(settings, embedder) -> Parts:
    parts = build_parts(settings, runtime=runtime_for(settings, embedder))
    parts.planner.clock = lambda: DAY
    return parts


async def run_digest(settings, embedder):
    parts = make_parts(settings, embedder)
    try:
        return await parts.runner().run(parts.planner.latest_fire())
    finally:
        await parts.aclose()
        parts.close()


async def test_related_papers_rank_first_and_a_noted_one_never_comes_back(settings, embedder):
    runtime = runtime_for(settings, embedder)
    parts = build_arxiv(settings, runtime)
    assert parts is not None
    try:
        ranked = await parts.section.ranked("2026-11-24")
    finally:
        await parts.aclose()
        runtime.close()
    ids = [p.submission.arxiv_id for p in ranked]
    assert NOTED[0] not in ids and len(ids) == 34, "the noted paper is filtered out"
    assert set(ids[:4]) == set(RELATED), [p.submission.title for p in ranked[:6]]
    assert all(p.near for p in ranked) and ranked[0].score > ranked[-1].score


async def test_both_platforms_get_the_section_once_and_a_restart_refetches_nothing(
    settings, embedder, fakes
):
    arxiv, slack, telegram = fakes
    first = await run_digest(settings, embedder)
    fetched = arxiv.count
    again = await run_digest(settings, embedder)  # a restart on the same day
    assert sorted(first.posted) == [f"slack:{CHANNEL}", f"telegram:{CHAT}"] and not first.failed
    assert sorted(again.skipped) == sorted(first.posted) and arxiv.count == fetched
    (posted,) = slack.calls_to("chat.postMessage")
    saves = [b for b in posted["blocks"] if b.get("accessory", {}).get("action_id")
             == "notesbot_arxiv_save"]
    assert [b["accessory"]["value"] for b in saves][:1] and len(saves) == 4
    assert {b["accessory"]["value"] for b in saves} == set(RELATED)
    assert any(phrase("arxiv_section", "ja") in b.get("text", {}).get("text", "")
               for b in posted["blocks"])
    section = telegram.calls_to("sendMessage")[-1]
    assert phrase("arxiv_section", "ja") in section["text"]
    keys = [b["callback_data"] for row in section["reply_markup"]["inline_keyboard"] for b in row]
    assert sorted(keys) == sorted(f"fb:save:{i}" for i in RELATED)
    assert all(len(line) <= 140 for line in _summaries(section["text"]))


def _summaries(html: str) -> list[str]:
    """The summary line of each paper in the Telegram section (the line after its title)."""
    lines = html.split("\n")
    return [lines[i + 1] for i, line in enumerate(lines) if line.startswith("<b>") and ". " in
            line[:12]]


@pytest.mark.parametrize("fault", [
    Fault.unavailable(retry_after=0.01), Fault.slow(2.0), Fault.malformed(), Fault.not_atom(),
], ids=["503-retry-after", "timeout", "malformed-xml", "not-atom"])
async def test_a_broken_endpoint_leaves_the_section_out_with_one_clear_line(
    settings, embedder, fakes, caplog, fault
):
    arxiv, slack, telegram = fakes
    arxiv.script(*[fault] * 5)  # every attempt fails
    with caplog.at_level(logging.WARNING, logger="bot.digest.arxiv"):
        report = await run_digest(settings, embedder)
        again = await run_digest(settings, embedder)
    assert sorted(report.posted) == [f"slack:{CHANNEL}", f"telegram:{CHAT}"] and not report.failed
    assert again.posted == [], "no double post"
    (line,) = [r.getMessage() for r in caplog.records if "arXiv section left out" in r.getMessage()]
    assert "arXiv API at 127.0.0.1" in line, line
    (posted,) = slack.calls_to("chat.postMessage")
    assert "notesbot_arxiv_save" not in json.dumps(posted["blocks"])
    assert all("reply_markup" not in c for c in telegram.calls_to("sendMessage"))


async def test_save_as_note_from_both_platforms_writes_one_note_the_next_ingest_reads(
    settings, embedder, fakes
):
    _, slack, telegram = fakes
    parts = make_parts(settings, embedder)
    await parts.runner().run(parts.planner.latest_fire())
    for bot in parts.bots.values():
        await bot.start()
    await slack.wait_connected()
    try:
        slack_id, telegram_id = "2104.08821", "2004.05150"
        click = block_action("notesbot_arxiv_save", slack_id, user=USER, channel=CHANNEL,
                             message_ts="1.0",
                             response_url=f"{slack.server.url}/response/9")
        await slack.wait_ack(await slack.deliver("interactive", click))
        (said,) = await slack.wait_for("response_url")
        assert said["text"] == phrase("note_saved_later", "en", name=f"arxiv/arxiv-{slack_id}.md")
        section = telegram.messages(CHAT)[-1]
        for _ in range(2):  # the second tap finds the note there and leaves it alone
            telegram.push_update(callback_query(f"fb:save:{telegram_id}", chat_id=CHAT,
                                                user_id=4242, message=section))
        saved = lambda: sum(telegram_id in m["text"] for m in telegram.messages(CHAT))  # noqa: E731
        assert await eventually(lambda: saved() == 2)
    finally:
        for bot in parts.bots.values():
            await bot.stop(5)
        await parts.aclose()
        parts.close()
    replies = [m["text"] for m in telegram.messages(CHAT) if f"arxiv-{telegram_id}" in m["text"]]
    name = f"arxiv/arxiv-{telegram_id}.md"
    assert replies == [phrase("note_saved_later", "ja", name=name), phrase("arxiv_exists", "ja",
                                                                      name=name)]
    folder = settings.notes_dir / "arxiv"
    assert sorted(p.name for p in folder.iterdir()) == [f"arxiv-{telegram_id}.md",
                                                         f"arxiv-{slack_id}.md"]
    note = (folder / f"arxiv-{slack_id}.md").read_text(encoding="utf-8")
    assert note.startswith("# SimCSE: Simple Contrastive Learning of Sentence Embeddings\n")
    assert f"[View Paper](https://arxiv.org/abs/{slack_id})" in note and "## Abstract" in note
    report = run_ingest(settings, embedder)
    assert {f"arxiv/arxiv-{slack_id}.md", f"arxiv/arxiv-{telegram_id}.md"} <= set(
        report.indexed)
    runtime = runtime_for(settings, embedder)
    papers = {p.title: p for p in await runtime.reader.papers()}
    runtime.close()
    simcse = papers["SimCSE: Simple Contrastive Learning of Sentence Embeddings"]
    assert simcse.arxiv_id == slack_id and simcse.tweet and len(simcse.tweet) <= 140


def test_cli_prints_the_ranking_as_json_and_saves_a_paper(settings, fakes, tmp_path):
    arxiv, _, _ = fakes
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "NOTESBOT_NOTES_DIR": str(settings.notes_dir),
           "NOTESBOT_DATA_DIR": str(settings.data_dir), "NOTESBOT_ARXIV_CATEGORIES": "cs.CL",
           "NOTESBOT_ARXIV_BASE_URL": arxiv.base_url, "NOTESBOT_ARXIV_REQUEST_INTERVAL": "0"}
    run = lambda *args: subprocess.run(  # noqa: E731
        [str(NOTESBOT), "arxiv", *args], env=env, capture_output=True, text=True, timeout=120)
    ranked = run("--json", "--limit", "3")
    assert ranked.returncode == 0, ranked.stderr
    rows = json.loads(ranked.stdout)
    assert len(rows) == 3 and {r["arxiv_id"] for r in rows} <= set(RELATED)
    assert all(r["near"] and 0 < r["score"] <= 1 for r in rows)
    requests = arxiv.count
    saved = run("--save", "2112.01488")
    assert saved.returncode == 0, saved.stderr
    assert arxiv.count == requests, "the day's listing came from the cache"
    assert (settings.notes_dir / "arxiv" / "arxiv-2112.01488.md").exists()
    cli = lambda *args: subprocess.run(  # noqa: E731
        [str(NOTESBOT), *args], env=env, capture_output=True, text=True, timeout=120)
    assert cli("ingest").returncode == 0
    papers = json.loads(cli("papers", "--json").stdout)
    (saved_paper,) = [p for p in papers if p["arxiv_id"] == "2112.01488"]
    assert saved_paper["title"].startswith("ColBERTv2") and saved_paper["tweet"]
    arxiv.script(*[Fault.http(404)] * 3)
    (settings.data_dir / "arxiv").rename(tmp_path / "old-cache")  # no cache: must fetch
    broken = run("--dry-run")
    assert broken.returncode == 1 and "arXiv listing unavailable" in broken.stderr
    assert "404" in broken.stderr and "Traceback" not in broken.stderr


async def test_no_categories_no_section_and_no_request(settings, embedder, fakes):
    arxiv, slack, _ = fakes
    report = await run_digest(settings.model_copy(update={"arxiv_categories": []}), embedder)
    assert report.posted and arxiv.count == 0
    assert "notesbot_arxiv_save" not in json.dumps(slack.calls_to("chat.postMessage"))


async def test_a_failing_cache_write_also_leaves_only_the_section_out(
    settings, embedder, fakes, caplog
):
    _, slack, _ = fakes
    (settings.data_dir / "arxiv").write_text("a file where the cache folder goes")
    with caplog.at_level(logging.WARNING, logger="bot.digest.arxiv"):
        report = await run_digest(settings, embedder)
    assert sorted(report.posted) == [f"slack:{CHANNEL}", f"telegram:{CHAT}"] and not report.failed
    (line,) = [r.getMessage() for r in caplog.records if "section left out" in r.getMessage()]
    assert "FileExistsError" in line and "notesbot_arxiv_save" not in json.dumps(
        slack.calls_to("chat.postMessage"))


async def test_with_a_model_the_saved_note_keeps_the_summary_the_digest_showed(
    settings, embedder, fakes, openai_server
):
    _, slack, _ = fakes
    kana = itertools.cycle("あいうえおかきくけこさしすせそ")
    openai_server.responder = lambda body: f"対照学習の要約その{next(kana)}。"
    with_llm = settings.model_copy(update={"llm_base_url": openai_server.base_url,
                                           "llm_model": MODEL, "llm_retries": 0})
    parts = make_parts(with_llm, embedder)
    try:
        await parts.runner().run(parts.planner.latest_fire())
        assert parts.arxiv is not None
        saved = await parts.arxiv.writer.save("2104.08821", "ja")
    finally:
        await parts.aclose()
        parts.close()
    assert saved == phrase("note_saved_later", "ja", name="arxiv/arxiv-2104.08821.md")
    (posted,) = slack.calls_to("chat.postMessage")
    (shown,) = [b["text"]["text"].split("\n")[1] for b in posted["blocks"]
                if b.get("accessory", {}).get("value") == "2104.08821"]
    note = (settings.notes_dir / "arxiv" / "arxiv-2104.08821.md").read_text(encoding="utf-8")
    assert shown.startswith("対照学習の要約その") and note.rstrip().endswith(shown)
    systems = [r["messages"][0]["content"] for r in openai_server.chat_requests()]
    about_arxiv = [s for s in systems if "arXiv" in s]
    assert len(about_arxiv) == 5, "4 digest summaries, then only the note's sections"
