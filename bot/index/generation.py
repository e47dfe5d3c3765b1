"""Which ingest the index's readers are looking at.

An ingest pass ends by publishing the store's generation, who wrote it and when. Readers
reload search, BM25, the catalog and the paper list together when the publication changes,
so a question never mixes two ingests; a reader whose Chroma handle may hold a stale copy of
another process's writes (embedded Chroma) reopens it when the writer was not itself.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.index.store import NotesStore

_KEY = "published"


@dataclass(frozen=True, slots=True)
class Publication:
    generation: int
    writer: str
    at: str  # ISO time, UTC

    @property
    def age_seconds(self) -> float:
        return (datetime.now(UTC) - datetime.fromisoformat(self.at)).total_seconds()


def this_process() -> str:
    """The writer id of this process (host and pid: a Chroma server may have many writers)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def publish(store: NotesStore, writer: str) -> Publication:
    at = datetime.now(UTC).isoformat(timespec="milliseconds")
    publication = Publication(store.generation, writer, at)
    store.set_meta(_KEY, f"{publication.generation}|{writer}|{at}")
    return publication


def published(store: NotesStore) -> Publication | None:
    """The last publication, or None for an index no pass has finished yet."""
    value = store.get_meta(_KEY)
    if not value:
        return None
    generation, writer, at = value.split("|", 2)
    return Publication(int(generation), writer, at)
