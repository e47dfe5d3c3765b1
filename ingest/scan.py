"""Find the notes under a folder."""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path

from bot.core.reading import NOTE_SUFFIXES


def scan_notes(root: Path) -> list[Path]:
    """Note files under ``root``, recursively, sorted; hidden folders and files are left out."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(
            Path(folder) / name
            for name in sorted(files)
            if not name.startswith(".") and Path(name).suffix.lower() in NOTE_SUFFIXES
        )
    return found


def has_notes(root: Path) -> bool:
    """Whether ``root`` holds any note (stops at the first one)."""
    for _, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        if any(is_note(name) for name in files):
            return True
    return False


def is_note(source: str) -> bool:
    """Whether a relative path is one scan_notes would find (a note, nothing hidden)."""
    parts = Path(source).parts
    return bool(parts) and not any(part.startswith(".") for part in parts) and (
        Path(source).suffix.lower() in NOTE_SUFFIXES
    )


def relative_source(path: Path, root: Path) -> str:
    """The note's path relative to the notes root, with forward slashes (citations use it)."""
    return path.relative_to(root).as_posix()


def named_notes(root: Path, sources: Collection[str]) -> list[Path]:
    """Those of ``sources`` (relative paths) that are note files under ``root`` now."""
    return [root / s for s in sorted(sources) if is_note(s) and (root / s).is_file()]


def file_stamp(stat: os.stat_result) -> tuple[int, int, int]:
    """Size, mtime and inode: a file rewritten while it was read has a new one."""
    return stat.st_size, stat.st_mtime_ns, stat.st_ino
