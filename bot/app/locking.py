"""One writer per data dir: the ingest lock (Chroma allows one writer per directory)."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class IndexBusy(RuntimeError):
    """Another ingest holds the data dir (Chroma allows one writer per directory)."""


@contextmanager
def writer_lock(data_dir: Path, wait: float = 0.0) -> Iterator[None]:
    """One ingest at a time per data dir: a second one waits up to ``wait`` seconds (a running
    bot's pass takes a moment), then fails with a clear message."""
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(data_dir / "ingest.lock", os.O_CREAT | os.O_RDWR, 0o600)
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError as exc:
                if time.monotonic() >= deadline:
                    raise IndexBusy(f"another ingest is running on {data_dir}") from exc
                time.sleep(0.2)
        yield
    finally:
        os.close(fd)
