"""Shared fixtures: the user's real notes (../shared) when present, and built indexes."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_NOTES = REPO.parent / "shared" / "notes"
SAMPLE_NOTES = REPO / "samples" / "notes"


@pytest.fixture(scope="session")
def shared_notes() -> Path:
    if not SHARED_NOTES.is_dir():
        pytest.skip(f"{SHARED_NOTES} is absent: the user's real notes only exist beside CI's clone")
    return SHARED_NOTES


def shared_note(shared: Path, prefix: str) -> Path:
    return next(shared.glob(f"{prefix}_*"))


@pytest.fixture(scope="session")
def embedder():
    from bot.index.embedders import E5Embedder

    return E5Embedder()


@pytest.fixture(scope="session")
def shared_index(shared_notes, embedder, tmp_path_factory):
    """../shared/notes ingested once for the session: (settings, report)."""
    from tests.support import run_ingest, settings_for

    settings = settings_for(shared_notes, tmp_path_factory.mktemp("shared-index"))
    return settings, run_ingest(settings, embedder)


@pytest.fixture
def chroma_server(tmp_path):
    """A real `chroma run` server on 127.0.0.1 (random port), stopped after the test."""
    from tests.fakes.chroma import ChromaServer

    server = ChromaServer(tmp_path / "chroma-server")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def sample_index(embedder, tmp_path_factory):
    """samples/notes ingested once for the session: its Settings."""
    from tests.support import run_ingest, settings_for

    settings = settings_for(SAMPLE_NOTES, tmp_path_factory.mktemp("sample-index"))
    report = run_ingest(settings, embedder)
    assert len(report.indexed) == 3
    return settings


@pytest.fixture
def openai_server():
    """A fake OpenAI-compatible server on 127.0.0.1 (scriptable faults, recorded requests)."""
    from tests.fakes.openai_fake import FakeOpenAI

    server = FakeOpenAI().start()
    yield server
    server.stop()
