"""Digest selection: new papers first, resurfaced ones after, nothing repeated too soon."""

from __future__ import annotations

from bot.core.digest import select_papers
from bot.core.models import Paper


def paper(key: str, first_seen: str | None) -> Paper:
    return Paper(key=key, title=key.upper(), first_seen=first_seen)


PAPERS = [paper(f"p{i}", f"2026-11-{10 + i:02d}T00:00:00+00:00") for i in range(10)]


def test_new_papers_come_first_newest_first_then_resurfaced():
    chosen = select_papers(
        PAPERS, since="2026-11-17T12:00:00+00:00", recently_posted=(), size=5, seed="C1|d1"
    )
    assert [(p.key, new) for p, new in chosen[:2]] == [("p9", True), ("p8", True)]
    assert all(not new for _, new in chosen[2:]) and len(chosen) == 5
    assert len({p.key for p, _ in chosen}) == 5


def test_recently_posted_papers_are_not_resurfaced():
    posted = {f"p{i}" for i in range(7)}
    chosen = select_papers(PAPERS, since=None, recently_posted=posted, size=5, seed="x")
    assert {p.key for p, _ in chosen} == {"p7", "p8", "p9"}


def test_selection_is_stable_per_target_and_day_and_varies_across_them():
    def pick(seed: str) -> list[str]:
        chosen = select_papers(PAPERS, since="2099", recently_posted=(), size=3, seed=seed)
        return [p.key for p, _ in chosen]

    assert pick("C1|2026-11-24") == pick("C1|2026-11-24"), "a restart recomputes the same"
    days = {tuple(pick(f"C1|2026-11-{d}")) for d in range(10, 30)}
    assert len(days) > 5, "different days resurface different papers"


def test_no_papers_gives_an_empty_selection():
    assert select_papers([], since=None, recently_posted=(), size=5, seed="s") == []
