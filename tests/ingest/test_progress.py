"""Progress a person can read (issue 30): notes done, texts embedded and the time left, as a
rich bar on a terminal and as plain lines in a log."""

from __future__ import annotations

import io

from rich.console import Console

from bot.app.compose import make_ingestor
from ingest.progress import PlainProgress, RichProgress
from tests.conftest import SAMPLE_NOTES
from tests.support import open_with, settings_for


def test_plain_lines_say_texts_embedded_and_time_left():
    out = io.StringIO()
    progress = PlainProgress(out, interval=0.0)
    progress.start(4)
    progress.embedded(250)
    progress.advance(1, "a.md")
    progress.embedded(50)
    progress.advance(3, "d.md")
    lines = out.getvalue().splitlines()
    assert lines[0] == "ingest: 4 note file(s) to check"
    assert lines[1].startswith("ingest: 1/4 a.md (250 texts embedded, ~0:")
    assert lines[2] == "ingest: 4/4 d.md (300 texts embedded, ~? left)", "done: no estimate"


def test_the_rich_bar_shows_notes_texts_and_time_left():
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=160, color_system=None)
    progress = RichProgress(console)
    progress.start(10)
    progress.embedded(1234)
    progress.advance(5, "notes/a.md")
    progress._bar.refresh()  # draw now, not at the next tick
    progress.finish()
    drawn = out.getvalue()
    assert "5/10" in drawn and "1234 texts embedded" in drawn and "left" in drawn


def test_an_ingest_counts_every_text_it_embeds_once(tmp_path, embedder):
    settings = settings_for(SAMPLE_NOTES, tmp_path / "data")
    out = io.StringIO()
    index = open_with(settings, embedder)
    try:
        make_ingestor(settings, index, PlainProgress(out, interval=0.0)).run(SAMPLE_NOTES)
        cached, stored = index.cache.count(), index.vectors.count()
        again = io.StringIO()
        make_ingestor(settings, index, PlainProgress(again, interval=0.0)).run(SAMPLE_NOTES)
    finally:
        index.close()
    lines = out.getvalue().splitlines()
    last = [line for line in lines if "texts embedded" in line][-1]
    assert f"({cached} texts embedded" in last, last
    assert lines[-1] == f"sentence vectors written: {stored}/{stored}", "then Chroma, once"
    assert "texts embedded" not in again.getvalue(), "nothing changed, nothing embedded"
    assert "vectors written" not in again.getvalue()
