"""SQLite beside the vectors: the manifest (files + hashes), chunk records, tokens, mentions.

SQLite is the commit point of an ingest: a file counts as indexed once its row is committed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.core.models import Chunk, PaperMention, SourceRef

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files(
    source TEXT PRIMARY KEY, content_hash TEXT NOT NULL, size INTEGER NOT NULL,
    encoding TEXT, indexed_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chunks(
    id TEXT PRIMARY KEY, source TEXT NOT NULL, ord INTEGER NOT NULL, heading TEXT NOT NULL,
    paper TEXT, url TEXT, line_start INTEGER NOT NULL, line_end INTEGER NOT NULL,
    body TEXT NOT NULL, tokens TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_by_source ON chunks(source, ord);
CREATE TABLE IF NOT EXISTS mentions(source TEXT NOT NULL, ord INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS mentions_by_source ON mentions(source);
CREATE TABLE IF NOT EXISTS paper_keys(key TEXT PRIMARY KEY, first_seen TEXT NOT NULL);
"""
_COLUMNS = "id, source, heading, line_start, line_end, body, paper, url"


class NotesStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # One worker thread at a time uses the connection (see bot.index.reader), not the creator.
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        # Search reads ~100 random chunk rows per query: map the file instead of read() calls.
        self._db.execute("PRAGMA mmap_size=268435456")
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(files)")}
        if "digest" in columns:  # indexes built before the rename keep working
            self._db.execute("ALTER TABLE files RENAME COLUMN digest TO content_hash")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    # --- meta ---
    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES(?, ?)", (key, value))

    @property
    def generation(self) -> int:
        """Bumped by every committed change; the BM25 index records the one it was built from."""
        return int(self.get_meta("generation") or 0)

    # --- manifest ---
    def file_hashes(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT source, content_hash FROM files"))

    def chunk_ids(self, source: str | None = None) -> list[str]:
        if source is None:
            return [row[0] for row in self._db.execute("SELECT id FROM chunks")]
        query = "SELECT id FROM chunks WHERE source=? ORDER BY ord"
        return [row[0] for row in self._db.execute(query, (source,))]

    def count_chunks(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM chunks").fetchone()[0])

    def replace_files(
        self,
        notes: Iterable[
            tuple[Mapping[str, Any], Sequence[Chunk], Sequence[list[str]], Sequence[PaperMention]]
        ],
    ) -> None:
        """Commit new versions of several files at once (chunks, tokens, mentions)."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._transaction():
            for file, chunks, tokens, mentions in notes:
                self._delete_source(file["source"])
                self._db.execute(
                    "INSERT INTO files VALUES(?, ?, ?, ?, ?)",
                    (file["source"], file["content_hash"], file["size"], file.get("encoding"), now),
                )
                self._db.executemany(
                    "INSERT INTO chunks VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            c.id,
                            c.source,
                            i,
                            c.heading,
                            c.paper,
                            c.url,
                            c.line_start,
                            c.line_end,
                            c.body,
                            " ".join(toks),
                        )
                        for i, (c, toks) in enumerate(zip(chunks, tokens, strict=True))
                    ],
                )
                self._db.executemany(
                    "INSERT INTO mentions VALUES(?, ?, ?)",
                    [
                        (file["source"], i, json.dumps(asdict(m), ensure_ascii=False))
                        for i, m in enumerate(mentions)
                    ],
                )
            self._bump()

    def remove_files(self, sources: Iterable[str]) -> None:
        with self._transaction():
            for source in sources:
                self._delete_source(source)
            self._bump()

    def forget_hash(self, source: str) -> None:
        """Mark a file as needing re-indexing (its vectors went missing)."""
        self._db.execute("UPDATE files SET content_hash='' WHERE source=?", (source,))

    def clear(self) -> None:
        with self._transaction():
            for table in ("files", "chunks", "mentions"):
                self._db.execute(f"DELETE FROM {table}")
            self._bump()

    def _delete_source(self, source: str) -> None:
        for table in ("files", "chunks", "mentions"):
            self._db.execute(f"DELETE FROM {table} WHERE source=?", (source,))

    def _bump(self) -> None:
        self.set_meta("generation", str(self.generation + 1))

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # --- read side ---
    def tokens_in_order(self) -> Iterator[tuple[str, list[str]]]:
        """(chunk id, BM25 tokens) of every chunk, streamed from SQLite."""
        for chunk_id, text in self._db.execute("SELECT id, tokens FROM chunks ORDER BY rowid"):
            yield chunk_id, text.split(" ") if text else []

    def chunks_by_id(self, ids: Sequence[str]) -> dict[str, Chunk]:
        found: dict[str, Chunk] = {}
        for start in range(0, len(ids), 500):
            batch = list(ids[start : start + 500])
            marks = ",".join("?" * len(batch))
            query = f"SELECT {_COLUMNS} FROM chunks WHERE id IN ({marks})"
            for row in self._db.execute(query, batch):
                found[row[0]] = Chunk(*row)
        return found

    def tokens_by_id(self, ids: Sequence[str]) -> dict[str, list[str]]:
        marks = ",".join("?" * len(ids))
        query = f"SELECT id, tokens FROM chunks WHERE id IN ({marks})"
        rows = self._db.execute(query, list(ids))
        return {cid: text.split(" ") if text else [] for cid, text in rows}

    def chunks_of_paper(self, titles: Sequence[str]) -> list[Chunk]:
        """Passages about a paper, under any of the titles its notes give it."""
        marks = ",".join("?" * len(titles))
        query = f"SELECT {_COLUMNS} FROM chunks WHERE paper IN ({marks}) ORDER BY source, ord"
        return [Chunk(*row) for row in self._db.execute(query, list(titles))]

    def tokens_of_paper(self, titles: Sequence[str]) -> list[tuple[Chunk, list[str]]]:
        """Passages about a paper with their stored search tokens."""
        chunks = self.chunks_of_paper(titles)
        tokens = self.tokens_by_id([c.id for c in chunks]) if chunks else {}
        return [(c, tokens.get(c.id, [])) for c in chunks]

    def tokens_of_source(self, source: str) -> list[tuple[Chunk, list[str]]]:
        query = f"SELECT {_COLUMNS}, tokens FROM chunks WHERE source = ? ORDER BY ord"
        return [
            (Chunk(*row[:-1]), row[-1].split(" ") if row[-1] else [])
            for row in self._db.execute(query, (source,))
        ]

    def bodies(self) -> Iterator[str]:
        for (body,) in self._db.execute("SELECT body FROM chunks"):
            yield body

    def note_titles(self) -> dict[str, str]:
        """Each note's title: the top heading of its first headed passage."""
        query = (
            "SELECT source, heading, MIN(ord) FROM chunks WHERE heading != '' GROUP BY source"
        )
        return {src: heading.split(" > ")[0] for src, heading, _ in self._db.execute(query)}

    def headings_and_tokens(self, limit: int) -> Iterator[tuple[str, list[str]]]:
        """(heading, tokens) of up to ``limit`` passages spread evenly over the index."""
        total = self.count_chunks()
        step = max(1, total // max(1, limit))
        query = "SELECT heading, tokens FROM chunks WHERE heading != '' AND rowid % ? = 0"
        for heading, text in self._db.execute(query, (step,)):
            yield heading, text.split(" ") if text else []

    def mentions(self) -> list[PaperMention]:
        result = []
        for (data,) in self._db.execute("SELECT data FROM mentions ORDER BY source, ord"):
            fields = json.loads(data)
            fields["ref"] = SourceRef(**fields["ref"])
            result.append(PaperMention(**fields))
        return result

    def record_paper_keys(self, keys: Iterable[str]) -> int:
        """Remember when each paper key was first indexed (kept across rebuilds)."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        cursor = self._db.executemany(
            "INSERT OR IGNORE INTO paper_keys VALUES(?, ?)", [(key, now) for key in keys]
        )
        return cursor.rowcount

    def catalog_version(self) -> tuple[int, int]:
        """Changes when chunks are committed or new papers are stamped (catalog caches)."""
        count = self._db.execute("SELECT count(*) FROM paper_keys").fetchone()[0]
        return self.generation, count

    def first_seen(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT key, first_seen FROM paper_keys"))

    def source_of_chunks(self, ids: Iterable[str]) -> set[str]:
        return {chunk.source for chunk in self.chunks_by_id(list(ids)).values()}
