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
