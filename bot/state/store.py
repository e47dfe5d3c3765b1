"""What the bots must remember across restarts, in SQLite beside the index.

* claims: "this event / update / message was handled" (exactly-once answers under retries);
* feedback: 👍/👎 on answers, and the answers themselves (question, text, sources, mode);
* conversations: recent turns per chat (Telegram memory; Slack threads are their own memory);
* subscriptions: chats and channels that asked for the daily digest.

Every call is one short statement (WAL journal): cheap enough to run on the event loop.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.core.answers import Answer, Turn
from bot.state.db import Database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS claims(
    kind TEXT NOT NULL, key TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY(kind, key));
CREATE TABLE IF NOT EXISTS feedback(
    platform TEXT NOT NULL, ref TEXT NOT NULL, user TEXT NOT NULL, value TEXT NOT NULL,
    at TEXT NOT NULL, note TEXT, PRIMARY KEY(platform, ref, user));
CREATE TABLE IF NOT EXISTS turns(
    platform TEXT NOT NULL, conversation TEXT NOT NULL, role TEXT NOT NULL, text TEXT NOT NULL,
    at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS turns_by_conversation ON turns(platform, conversation);
CREATE TABLE IF NOT EXISTS answers(
    platform TEXT NOT NULL, ref TEXT NOT NULL, user TEXT, question TEXT NOT NULL,
    answer TEXT NOT NULL, mode TEXT NOT NULL, citations TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY(platform, ref));
CREATE TABLE IF NOT EXISTS subscriptions(
    platform TEXT NOT NULL, target TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY(platform, target));
"""


# Columns added since a table was first created: (table, column, its declaration).
_MIGRATIONS = (("feedback", "note", "TEXT"),)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class StateStore:
    def __init__(self, path: Path) -> None:
        self._database = Database(path, _SCHEMA, migrations=_MIGRATIONS)
        self._sql = self._database.locked

    def close(self) -> None:
        self._database.close()

    # --- exactly once ---
    def claim(self, kind: str, key: str) -> bool:
        """True the first time (kind, key) is claimed, False ever after (restarts included)."""
        with self._sql() as db:
            cursor = db.execute("INSERT OR IGNORE INTO claims VALUES(?, ?, ?)", (kind, key, _now()))
            return cursor.rowcount == 1

    def has_claim(self, kind: str, key: str) -> bool:
        with self._sql() as db:
            query = "SELECT 1 FROM claims WHERE kind=? AND key=?"
            return db.execute(query, (kind, key)).fetchone() is not None

    def release(self, kind: str, key: str) -> None:
        """Undo a claim whose work failed before anything was posted (so a retry may try)."""
        with self._sql() as db:
            db.execute("DELETE FROM claims WHERE kind=? AND key=?", (kind, key))

    def prune_claims(self, older_than: timedelta = timedelta(days=7)) -> int:
        cutoff = (datetime.now(UTC) - older_than).isoformat(timespec="seconds")
        with self._sql() as db:
            return db.execute("DELETE FROM claims WHERE at < ?", (cutoff,)).rowcount

    # --- feedback ---
    def add_feedback(self, platform: str, ref: str, user: str, value: str) -> None:
        """One vote per user and answer; voting again replaces the vote."""
        with self._sql() as db:
            db.execute(
                "INSERT OR REPLACE INTO feedback VALUES(?, ?, ?, ?, ?, NULL)",
                (platform, ref, user, value, _now()),
            )

    def add_note(self, platform: str, ref: str, user: str, note: str) -> bool:
        """What was wrong, in the voter's words, on their vote (False: no such vote)."""
        with self._sql() as db:
            query = "UPDATE feedback SET note=? WHERE platform=? AND ref=? AND user=?"
            return db.execute(query, (note, platform, ref, user)).rowcount == 1

    def feedback(self, platform: str) -> list[tuple[str, str, str]]:
        with self._sql() as db:
            query = "SELECT ref, user, value FROM feedback WHERE platform=? ORDER BY at, ref"
            return list(db.execute(query, (platform,)))

    def record_answer(self, platform: str, ref: str, user: str | None, answer: Answer) -> None:
        """What a vote on ``ref`` is about: the question, the answer, its sources, its mode."""
        cited = [c.to_json() | {"passage": c.passage} for c in answer.citations]
        with self._sql() as db:
            db.execute(
                "INSERT OR REPLACE INTO answers VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
                (platform, ref, user, answer.question, answer.text, answer.mode,
                 json.dumps(cited, ensure_ascii=False), _now()),
            )

    def answer_record(self, platform: str, ref: str) -> dict[str, Any] | None:
        """The recorded question, answer and cited passages of ``ref``, if still on record."""
        query = "SELECT question, answer, citations FROM answers WHERE platform=? AND ref=?"
        with self._sql() as db:
            row = db.execute(query, (platform, ref)).fetchone()
        if row is None:
            return None
        return {"question": row[0], "answer": row[1], "citations": json.loads(row[2])}

    def votes(self, limit: int = 1000) -> list[dict[str, Any]]:
        """Recent votes, newest first, with the answers they judge (when recorded)."""
        query = (
            "SELECT f.platform, f.ref, f.user, f.value, f.at, f.note, a.question, a.answer,"
            " a.mode, a.citations FROM feedback f LEFT JOIN answers a"
            " ON a.platform = f.platform AND a.ref = f.ref ORDER BY f.at DESC LIMIT ?"
        )
        keys = ("platform", "ref", "user", "vote", "at", "note", "question", "answer", "mode",
                "citations")
        with self._sql() as db:
            rows = [dict(zip(keys, row, strict=True)) for row in db.execute(query, (limit,))]
        for row in rows:
            row["citations"] = json.loads(row["citations"] or "[]")
        return rows

    def clear_feedback(self) -> int:
        """Forget every vote and recorded answer; the number of votes forgotten."""
        with self._sql() as db:
            count = db.execute("DELETE FROM feedback").rowcount
            db.execute("DELETE FROM answers")
            return count

    # --- conversation memory ---
    def remember(self, platform: str, conversation: str, *turns: Turn, keep: int = 20) -> None:
        with self._sql() as db:
            db.executemany(
                "INSERT INTO turns VALUES(?, ?, ?, ?, ?)",
                [(platform, conversation, t.role, t.text, _now()) for t in turns],
            )
            db.execute(
                "DELETE FROM turns WHERE platform=? AND conversation=? AND rowid NOT IN ("
                " SELECT rowid FROM turns WHERE platform=? AND conversation=?"
                " ORDER BY rowid DESC LIMIT ?)",
                (platform, conversation, platform, conversation, keep),
            )

    def history(self, platform: str, conversation: str, limit: int) -> list[Turn]:
        with self._sql() as db:
            rows = db.execute(
                "SELECT role, text FROM turns WHERE platform=? AND conversation=?"
                " ORDER BY rowid DESC LIMIT ?",
                (platform, conversation, limit),
            ).fetchall()
        return [Turn(role, text) for role, text in reversed(rows)]

    def forget(self, platform: str, conversation: str) -> None:
        with self._sql() as db:
            db.execute(
                "DELETE FROM turns WHERE platform=? AND conversation=?", (platform, conversation)
            )

    # --- digest subscriptions ---
    def subscribe(self, platform: str, target: str) -> bool:
        """True if newly subscribed."""
        with self._sql() as db:
            query = "INSERT OR IGNORE INTO subscriptions VALUES(?, ?, ?)"
            return db.execute(query, (platform, target, _now())).rowcount == 1

    def unsubscribe(self, platform: str, target: str) -> bool:
        with self._sql() as db:
            query = "DELETE FROM subscriptions WHERE platform=? AND target=?"
            return db.execute(query, (platform, target)).rowcount == 1

    def subscriptions(self, platform: str) -> list[str]:
        with self._sql() as db:
            query = "SELECT target FROM subscriptions WHERE platform=? ORDER BY at, target"
            return [row[0] for row in db.execute(query, (platform,))]
