"""kill -9 in the middle of `notesbot ingest`, then re-run: the index equals a clean rebuild."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import index_counts, run_ingest, settings_for, write_synthetic_notes

pytestmark = pytest.mark.slow
NOTESBOT = Path(sys.executable).with_name("notesbot")


def _committed_files(data: Path) -> int:
    db = data / "notes.sqlite3"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM files").fetchone()[0]
    except sqlite3.Error:
        return 0


def _ingest_process(notes: Path, data: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "NOTESBOT_NOTES_DIR": str(notes),
        "NOTESBOT_DATA_DIR": str(data),
        "NOTESBOT_CHUNK_MAX_CHARS": "200",
        "HF_HUB_OFFLINE": "1",
    }
    return subprocess.Popen(
        [str(NOTESBOT), "ingest"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def _kill_after_commits(notes: Path, data: Path, at_least: int, delay: float) -> None:
    proc = _ingest_process(notes, data)
    deadline = time.monotonic() + 240
    while _committed_files(data) < at_least and proc.poll() is None:
        assert time.monotonic() < deadline, "ingest made no progress"
        time.sleep(0.05)
    time.sleep(delay)  # land the kill inside the next batch's embedding or writes
    assert proc.poll() is None, "ingest finished before it could be killed: grow the corpus"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)


def test_kill_9_mid_ingest_then_rerun_equals_clean_rebuild(tmp_path, embedder):
    notes = tmp_path / "notes"
    write_synthetic_notes(notes, files=36, sections=8)
    killed = tmp_path / "killed"

    _kill_after_commits(notes, killed, at_least=1, delay=0.3)
    _kill_after_commits(notes, killed, at_least=_committed_files(killed) + 1, delay=1.0)
    partial = _committed_files(killed)
    assert 0 < partial < 36

    resumed = run_ingest(settings_for(notes, killed, chunk_max_chars=200), embedder)
    assert not resumed.rebuilt
    assert len(resumed.indexed) + resumed.unchanged == 36
    assert resumed.unchanged >= partial - 1  # committed work is kept, not redone

    clean_settings = settings_for(notes, tmp_path / "clean", chunk_max_chars=200)
    run_ingest(clean_settings, embedder)
    got = index_counts(settings_for(notes, killed, chunk_max_chars=200), embedder)
    want = index_counts(clean_settings, embedder)
    assert got == want
    assert got["chroma_ids_match"] and got["bm25_ids_match"]
