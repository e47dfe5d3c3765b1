"""What a running bot says about its watch, for ``notesbot doctor`` (a file in the data dir)."""

from __future__ import annotations

import json
import os
import socket
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

STALE_SECONDS = 90.0  # a heartbeat older than this: the bot is gone (killed, host down)
HEARTBEAT_SECONDS = 30.0


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class LiveStatus:
    host: str
    pid: int
    watching: str  # "inotify", "polling" or "off" (then only other writers' passes are seen)
    since: str
    heartbeat: str
    last_pass: str = ""

    @classmethod
    def starting(cls, watching: str) -> LiveStatus:
        return cls(socket.gethostname(), os.getpid(), watching, now(), now())

    def beat(self, *, passed: bool = False) -> LiveStatus:
        stamp = now()
        return replace(self, heartbeat=stamp, last_pass=stamp if passed else self.last_pass)

    def alive(self) -> bool:
        age = (datetime.now(UTC) - datetime.fromisoformat(self.heartbeat)).total_seconds()
        if self.host == socket.gethostname():
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                return False
            except PermissionError:
                pass  # someone else's process: alive
        return age < STALE_SECONDS


def status_path(data_dir: Path) -> Path:
    return data_dir / "live.json"


def write_status(data_dir: Path, status: LiveStatus) -> None:
    path = status_path(data_dir)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(status)))
    os.replace(tmp, path)


def read_status(data_dir: Path) -> LiveStatus | None:
    try:
        return LiveStatus(**json.loads(status_path(data_dir).read_text()))
    except (OSError, ValueError, TypeError):
        return None
