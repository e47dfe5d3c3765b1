"""Progress for long runs: a rich bar on a terminal, plain lines in logs and CI."""

from __future__ import annotations

import logging
import sys
import time
from typing import Protocol, TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class ProgressReporter(Protocol):
    def start(self, total: int) -> None: ...
    def advance(self, count: int, label: str) -> None: ...
    def message(self, text: str) -> None: ...
    def finish(self) -> None: ...


class PlainProgress:
    """One line per step (at most every ``interval`` seconds) so logs stay readable."""

    def __init__(self, stream: TextIO = sys.stderr, interval: float = 2.0) -> None:
        self._stream = stream
        self._interval = interval
        self._done = 0
        self._total = 0
        self._last = 0.0

    def start(self, total: int) -> None:
        self._total = total
        print(f"ingest: {total} note file(s) to check", file=self._stream, flush=True)

    def advance(self, count: int, label: str) -> None:
        self._done += count
        now = time.monotonic()
        if now - self._last >= self._interval or self._done >= self._total:
            self._last = now
            print(f"ingest: {self._done}/{self._total} {label}", file=self._stream, flush=True)

    def message(self, text: str) -> None:
        print(text, file=self._stream, flush=True)

    def finish(self) -> None:
        pass


class RichProgress:
    def __init__(self, console: Console) -> None:
        self._console = console
        self._bar = Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=console,
            transient=True,
        )
        self._task = None

    def start(self, total: int) -> None:
        self._bar.start()
        self._task = self._bar.add_task("", total=total)

    def advance(self, count: int, label: str) -> None:
        self._bar.update(self._task, advance=count, description=label[-50:])

    def message(self, text: str) -> None:
        self._console.print(text, markup=False, highlight=False)

    def finish(self) -> None:
        self._bar.stop()


def make_progress(stream: TextIO = sys.stderr) -> ProgressReporter:
    if stream.isatty():
        return RichProgress(Console(file=stream))
    return PlainProgress(stream)


class LogProgress:
    """Progress of a running bot's passes, in its log: a long pass says how far it is."""

    def __init__(self, logger: logging.Logger, interval: float = 10.0) -> None:
        self._log, self._interval = logger, interval
        self._done = self._total = 0
        self._started = self._last = 0.0

    def start(self, total: int) -> None:
        self._done, self._total = 0, total
        self._started = self._last = time.monotonic()

    def advance(self, count: int, label: str) -> None:
        self._done += count
        if time.monotonic() - self._last >= self._interval:
            self._last = time.monotonic()
            self._log.info("notes pass: %d/%d files checked", self._done, self._total)

    def message(self, text: str) -> None:
        self._log.warning("notes pass: %s", text)

    def finish(self) -> None:
        pass
