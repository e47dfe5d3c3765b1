"""The daily digest end to end: fake Slack and Telegram, a controlled clock, a real index."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr

from bot.app.parts import Parts, build_parts
from bot.core.phrases import phrase
from tests.fakes.slack_events import slash_command
from tests.fakes.slack_fake import Fail, FakeSlack
from tests.fakes.telegram_fake import FakeTelegram
from tests.fakes.telegram_updates import command as tg_command
from tests.support import run_ingest, runtime_for, sample_copy, settings_for

CHANNEL, CHAT = "CDIGEST", -100777
NEW_NOTE = """# Mamba: Linear-Time Sequence Modeling with Selective State Spaces

[View Paper](http://arxiv.org/abs/2312.00752)

## 1. 既存研究では何ができなかったのか

Transformer は系列長の二乗の計算量がかかる。

## 8. この論文を140字以内のツイートで要約すると？

選択的状態空間モデル Mamba で線形時間の系列モデリング！ #Mamba
"""


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def fakes():
    slack, telegram = FakeSlack().start(), FakeTelegram().start()
    yield slack, telegram
    slack.stop()
    telegram.stop()


@pytest.fixture
def settings(tmp_path, embedder, fakes):
    slack, telegram = fakes
    return sample_copy(tmp_path, embedder).model_copy(update={
        "slack_bot_token": SecretStr("xoxb-test"), "slack_app_token": SecretStr("xapp-test"),
        "slack_api_url": slack.api_url, "telegram_token": SecretStr("123:TEST"),
        "telegram_base_url": telegram.base_url, "digest_slack_channels": [CHANNEL],
        "digest_telegram_chats": [str(CHAT)], "digest_cron": "0 9 * * *",
        "digest_timezone": "Asia/Tokyo", "digest_size": 5,
    })


def make_parts(settings, embedder, clock: Clock) -> Parts:
    parts = build_parts(settings, runtime=runtime_for(settings, embedder))
    parts.planner.clock = clock
    return parts


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 11, day, hour, 30, tzinfo=UTC) - timedelta(hours=9)  # JST


def slack_digests(slack: FakeSlack) -> list[dict]:
    return [c for c in slack.calls_to("chat.postMessage") if c["channel"] == CHANNEL]


def telegram_digests(telegram: FakeTelegram) -> list[dict]:
    return [c for c in telegram.calls_to("sendMessage") if int(c["chat_id"]) == CHAT]


async def test_once_per_target_per_day_and_a_restart_posts_nothing_new(settings, embedder, fakes):
    slack, telegram = fakes
    clock = Clock(at(24, 10))
    for _ in range(3):  # three starts of the service on the same day
        parts = make_parts(settings, embedder, clock)
        scheduler = parts.scheduler()
        await scheduler.start()
        await asyncio.sleep(0.3)
        await scheduler.stop(10)
        await parts.aclose()
        parts.close()
    assert len(slack_digests(slack)) == 1 and len(telegram_digests(telegram)) == 1
    blocks = slack_digests(slack)[0]["blocks"]
    summaries = [b["text"]["text"].split("\n")[1] for b in blocks[1:] if b["type"] == "section"]
    assert len(summaries) == 5 and all(0 < len(s) <= 140 for s in summaries)
    assert "2026-11-24" in blocks[0]["text"]["text"]

    clock.now = at(25, 10)  # the next day: posts again
    parts = make_parts(settings, embedder, clock)
    report = await parts.runner().run(parts.planner.latest_fire())
    await parts.aclose()
    parts.close()
    assert sorted(report.posted) == [f"slack:{CHANNEL}", f"telegram:{CHAT}"]


async def test_a_failing_target_is_retried_and_others_get_theirs(settings, embedder, fakes):
    slack, telegram = fakes
    slack.fail_next("chat.postMessage", Fail(error="channel_not_found"))
    parts = make_parts(settings.model_copy(update={"digest_retry_minutes": 0.01}), embedder,
                       Clock(at(24, 10)))
    parts.planner.clock = lambda: datetime.now(UTC)  # real time: the retry job must fire
    scheduler = parts.scheduler()
    await scheduler.run(parts.planner.latest_fire())
    assert len(telegram_digests(telegram)) == 1, "Telegram got its digest despite Slack"
    assert parts.digest_log.status(f"slack:{CHANNEL}", parts.planner.period(
        parts.planner.latest_fire())) == "failed"
    await scheduler.start()  # the scheduler is running: the retry is queued on it
    await scheduler.run(parts.planner.latest_fire())  # (no-op for done targets)
    for _ in range(100):
        if len(slack.calls_to("chat.postMessage")) >= 2:
            break
        await asyncio.sleep(0.1)
    await scheduler.stop(5)
    await parts.aclose()
    parts.close()
    assert len(slack_digests(slack)) == 2, "the failed target was tried again and got it"
    assert len(telegram_digests(telegram)) == 1, "the other target did not get a second one"


async def test_subscriptions_change_the_next_run(settings, embedder, fakes):
    _, telegram = fakes
    clock = Clock(at(24, 10))
    parts = make_parts(settings.model_copy(update={"digest_telegram_chats": []}), embedder, clock)
    parts.state.subscribe("telegram", "4242")
    report = await parts.runner().run(parts.planner.latest_fire())
    assert "telegram:4242" in report.posted
    parts.state.unsubscribe("telegram", "4242")
    clock.now = at(25, 10)
    report = await parts.runner().run(parts.planner.latest_fire())
    assert "telegram:4242" not in report.posted + report.skipped
    await parts.aclose()
    parts.close()
    received = [c for c in telegram.calls_to("sendMessage") if int(c["chat_id"]) == 4242]
    assert len(received) == 1, "subscribed for the first run only"


async def test_new_papers_come_before_resurfaced_ones(settings, embedder, fakes):
    clock = Clock(at(24, 10))
    parts = make_parts(settings, embedder, clock)
    first = await parts.runner().run(parts.planner.latest_fire())
    assert first.posted
    await parts.aclose()
    parts.close()

    await asyncio.sleep(1.1)  # first-seen times have one-second resolution
    (settings.notes_dir / "mamba.md").write_text(NEW_NOTE, encoding="utf-8")
    run_ingest(settings, embedder)
    clock.now = at(25, 10)
    parts = make_parts(settings, embedder, clock)
    digest = await parts.planner.digest_for(f"slack:{CHANNEL}", parts.planner.latest_fire())
    await parts.aclose()
    parts.close()
    assert digest.items[0].summary.paper.startswith("Mamba") and digest.items[0].new
    assert all(not item.new for item in digest.items[1:]) and len(digest.items) > 1


@pytest.mark.parametrize("when_empty", ["message", "skip"])
async def test_no_papers_posts_a_short_note_or_skips(tmp_path, embedder, fakes, when_empty):
    slack, _ = fakes
    notes = tmp_path / "plain-notes"
    notes.mkdir()
    (notes / "todo.md").write_text("# 買い物\n\n牛乳と卵を買う。\n", encoding="utf-8")
    base = settings_for(notes, tmp_path / "plain-data")
    run_ingest(base, embedder)
    settings = base.model_copy(update={
        "slack_bot_token": SecretStr("xoxb-test"), "slack_app_token": SecretStr("xapp-test"),
        "slack_api_url": slack.api_url, "digest_slack_channels": [CHANNEL],
        "digest_when_empty": when_empty,
    })
    parts = make_parts(settings, embedder, Clock(at(24, 10)))
    report = await parts.runner().run(parts.planner.latest_fire())
    again = await parts.runner().run(parts.planner.latest_fire())
    await parts.aclose()
    parts.close()
    assert report.posted == [f"slack:{CHANNEL}"] and not report.failed, "done, not an error"
    assert again.skipped == [f"slack:{CHANNEL}"]
    posted = slack_digests(slack)
    if when_empty == "skip":
        assert posted == []
    else:
        (message,) = posted
        assert "ありません" in message["blocks"][1]["text"]["text"]


def test_old_event_claims_are_pruned_when_the_bots_are_built(tmp_path):
    from datetime import UTC, datetime, timedelta

    from bot.app.parts import build_parts
    from bot.state.store import StateStore
    from tests.support import settings_for

    settings = settings_for(tmp_path / "notes", tmp_path / "data")
    settings.data_dir.mkdir(parents=True)
    state = StateStore(settings.state_path)
    state.claim("slack-event", "old")
    old = (datetime.now(UTC) - timedelta(days=30)).isoformat(timespec="seconds")
    with state._sql() as db:
        db.execute("UPDATE claims SET at=?", (old,))
    state.claim("slack-event", "new")
    state.close()
    parts = build_parts(settings, platforms=())
    try:
        assert not parts.state.claim("slack-event", "new"), "a fresh claim stays"
        assert parts.state.claim("slack-event", "old"), "the old one was pruned: claimable again"
    finally:
        parts.close()


async def test_subscribing_through_the_bots_brings_the_scheduled_digest(settings, embedder, fakes):
    """Slack `/digest subscribe` and Telegram `/subscribe` `/unsubscribe`, driven through the
    running bots, decide where the next scheduled runs post."""
    slack, telegram = fakes
    clock = Clock(at(24, 10))
    configured = settings.model_copy(update={
        "digest_slack_channels": [], "digest_telegram_chats": [],
        "slack_allowed_users": ["UFAN"], "telegram_allowed_users": ["555"],
        "telegram_poll_timeout": 1,
    })
    parts = make_parts(configured, embedder, clock)
    bots = parts.bots
    for bot in bots.values():
        await bot.start()
    try:
        url = f"{slack.server.url}/response/1"
        command = slash_command("/digest", "subscribe", user="UFAN", channel="CFANS",
                                response_url=url)
        await slack.deliver("slash_commands", command)
        (reply,) = await slack.wait_for("response_url")
        assert reply["text"] == phrase("subscribed", "en")
        telegram.push_update(tg_command("subscribe", chat_id=555, user_id=555))
        (said,) = await telegram.wait_for("sendMessage")
        assert said["text"] == phrase("subscribed", "ja")  # the fake user's language_code

        report = await parts.runner().run(parts.planner.latest_fire())
        assert sorted(report.posted) == ["slack:CFANS", "telegram:555"]
        (posted,) = [c for c in slack.calls_to("chat.postMessage") if c["channel"] == "CFANS"]
        assert "2026-11-24" in posted["blocks"][0]["text"]["text"]
        sections = [b["text"]["text"] for b in posted["blocks"][1:] if b["type"] == "section"]
        summaries = [text.split("\n")[1] for text in sections]
        (digest,) = [c for c in telegram.calls_to("sendMessage") if "2026-11-24" in c["text"]]
        assert int(digest["chat_id"]) == 555 and len(summaries) == 5
        assert all(summary in digest["text"] for summary in summaries), "the same five papers"

        telegram.push_update(tg_command("unsubscribe", chat_id=555, user_id=555))
        said = await telegram.wait_for("sendMessage", 3)
        assert said[-1]["text"] == phrase("unsubscribed", "ja")
        clock.now = at(25, 10)
        report = await parts.runner().run(parts.planner.latest_fire())
        assert report.posted == ["slack:CFANS"], "unsubscribed: no second Telegram digest"
    finally:
        for bot in bots.values():
            await bot.stop(5)
        await parts.aclose()
        parts.close()
