"""What was posted where: the digest's exactly-once record, in state.sqlite3.

A run for (target, period) is claimed as ``posting`` before anything is sent. If the process
dies mid-post we cannot know whether the message went out, so ``posting`` counts as done:
a restart never posts twice. A post that failed with an error (nothing sent) is ``failed``
and may be tried again the same period, a bounded number of times.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.state.db import Database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS digest_runs(
    target TEXT NOT NULL, period TEXT NOT NULL, status TEXT NOT NULL,
    attempts INTEGER NOT NULL, at TEXT NOT NULL, error TEXT,
    PRIMARY KEY(target, period));
CREATE TABLE IF NOT EXISTS digest_items(
    target TEXT NOT NULL, period TEXT NOT NULL, paper_key TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS digest_items_by_target ON digest_items(target, at);
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class DigestLog:
    def __init__(self, path: Path) -> None:
        self._database = Database(path, _SCHEMA)

    def close(self) -> None:
        self._database.close()

    def begin(self, target: str, period: str, *, max_attempts: int) -> bool:
        """Claim the run; False if it is done, in progress, or out of attempts."""
        with self._database.transaction() as db:
            row = db.execute(
                "SELECT status, attempts FROM digest_runs WHERE target=? AND period=?",
                (target, period),
            ).fetchone()
            if row is not None and (row[0] != "failed" or row[1] >= max_attempts):
                return False
            attempts = (row[1] if row else 0) + 1
            db.execute(
                "INSERT OR REPLACE INTO digest_runs VALUES(?, ?, 'posting', ?, ?, NULL)",
                (target, period, attempts, _now()),
            )
            return True

    def posted(self, target: str, period: str, keys: Iterable[str]) -> None:
        now = _now()
        with self._database.transaction() as db:
            db.execute(
                "UPDATE digest_runs SET status='posted', at=? WHERE target=? AND period=?",
                (now, target, period),
            )
            db.executemany(
                "INSERT INTO digest_items VALUES(?, ?, ?, ?)",
                [(target, period, key, now) for key in keys],
            )

    def failed(self, target: str, period: str, error: str) -> None:
        with self._database.locked() as db:
            db.execute(
                "UPDATE digest_runs SET status='failed', error=? WHERE target=? AND period=?",
                (error[:500], target, period),
            )

    def status(self, target: str, period: str) -> str | None:
        with self._database.locked() as db:
            row = db.execute(
                "SELECT status FROM digest_runs WHERE target=? AND period=?", (target, period)
            ).fetchone()
        return row[0] if row else None

    def last_posted(self, target: str) -> str | None:
        """When the last digest reached this target (new papers are those seen after it)."""
        with self._database.locked() as db:
            row = db.execute(
                "SELECT max(at) FROM digest_runs WHERE target=? AND status='posted'", (target,)
            ).fetchone()
        return row[0]

    def recent_keys(self, target: str, days: int) -> set[str]:
        cutoff = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")
        with self._database.locked() as db:
            rows = db.execute(
                "SELECT paper_key FROM digest_items WHERE target=? AND at >= ?", (target, cutoff)
            )
            return {row[0] for row in rows}
