"""Progress for long runs: a rich bar on a terminal, plain lines in logs and CI.

A cold ingest is nearly all embedding, so both say how many texts were embedded and about
when the run ends (from the pace of the files so far).
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Protocol, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class ProgressReporter(Protocol):
    def start(self, total: int) -> None: ...
    def advance(self, count: int, label: str) -> None: ...
    def embedded(self, texts: int) -> None: ...
    def message(self, text: str) -> None: ...
    def finish(self) -> None: ...


class _Rate:
    """Files done, texts embedded and an estimate of the time left from the files' pace."""

    def __init__(self) -> None:
        self.done = self.total = self.texts = 0
        self.started = time.monotonic()

    def start(self, total: int) -> None:
        self.done, self.total, self.texts = 0, total, 0
        self.started = time.monotonic()

    def eta(self) -> str:
        if not self.done or self.done >= self.total:
            return "?"
        left = (time.monotonic() - self.started) * (self.total - self.done) / self.done
        return f"{int(left // 60)}:{int(left % 60):02d}"


class PlainProgress:
    """One line per step (at most every ``interval`` seconds) so logs stay readable."""

    def __init__(self, stream: TextIO = sys.stderr, interval: float = 2.0) -> None:
        self._stream = stream
        self._interval = interval
        self._rate = _Rate()
        self._last = 0.0

    def start(self, total: int) -> None:
        self._rate.start(total)
        print(f"ingest: {total} note file(s) to check", file=self._stream, flush=True)

    def advance(self, count: int, label: str) -> None:
        rate = self._rate
        rate.done += count
        now = time.monotonic()
        if now - self._last >= self._interval or rate.done >= rate.total:
            self._last = now
            line = f"ingest: {rate.done}/{rate.total} {label}"
            if rate.texts:
                line += f" ({rate.texts} texts embedded, ~{rate.eta()} left)"
            print(line, file=self._stream, flush=True)

    def embedded(self, texts: int) -> None:
        self._rate.texts += texts

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
            TextColumn("notes · {task.fields[texts]} texts embedded"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            TextColumn("{task.description}"),
            console=console,
            transient=True,
        )
        self._task = self._bar.add_task("", total=None, texts=0, start=False)
        self._rate = _Rate()  # the bar keeps its own pace and estimate; this counts texts

    def start(self, total: int) -> None:
        self._bar.start()
        self._bar.update(self._task, total=total)
        self._bar.start_task(self._task)

    def advance(self, count: int, label: str) -> None:
        self._bar.update(self._task, advance=count, description=label[-40:])

    def embedded(self, texts: int) -> None:
        self._rate.texts += texts
        self._bar.update(self._task, texts=self._rate.texts)

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
        self._rate = _Rate()
        self._last = 0.0

    def start(self, total: int) -> None:
        self._rate.start(total)
        self._last = time.monotonic()

    def advance(self, count: int, label: str) -> None:
        rate = self._rate
        rate.done += count
        if time.monotonic() - self._last >= self._interval:
            self._last = time.monotonic()
            self._log.info(
                "notes pass: %d/%d files checked, %d texts embedded, ~%s left",
                rate.done,
                rate.total,
                rate.texts,
                rate.eta(),
            )

    def embedded(self, texts: int) -> None:
        self._rate.texts += texts

    def message(self, text: str) -> None:
        self._log.warning("notes pass: %s", text)

    def finish(self) -> None:
        pass
