"""Turn a note file's bytes into text: detect encodings, refuse what is not a note."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

NOTE_SUFFIXES = frozenset({".md", ".markdown", ".txt"})
# A UTF-8 note with a stray bad byte stays UTF-8; a Shift_JIS note fails on most of its kana.
_MAX_BAD_UTF8_RATIO = 0.01


class SkipFile(Exception):
    """This file is not indexed; ``str(exc)`` is the one-line reason shown to the user."""


@dataclass(frozen=True, slots=True)
class NoteText:
    text: str
    encoding: str
    warning: str | None = None


def read_bytes(path: Path, *, max_bytes: int) -> bytes:
    """The file's bytes, or SkipFile when it is too large or cannot be read."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SkipFile(f"too large ({_human(size)} > limit {_human(max_bytes)})")
        return path.read_bytes()
    except OSError as exc:
        raise SkipFile(f"unreadable ({exc.strerror or exc.__class__.__name__})") from exc


def decode_note(data: bytes) -> NoteText:
    """Decode note bytes, or SkipFile when they are empty or not text."""
    note = _decode(data)
    if not note.text.strip():
        raise SkipFile("empty")
    return note


def _decode(data: bytes) -> NoteText:
    """BOMs, UTF-8 (tolerating a few bad bytes), UTF-16, CP932/EUC-JP, then a guess."""
    if data.startswith(codecs.BOM_UTF8):
        return _utf8(data[len(codecs.BOM_UTF8) :], "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return NoteText(data.decode("utf-16", errors="replace"), "utf-16")
    if _looks_utf16_without_bom(data):
        encoding = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return NoteText(data.decode(encoding, errors="replace"), encoding)
    if b"\x00" in data:
        raise SkipFile("binary (contains NUL bytes)")
    try:
        return NoteText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    bad = _count_bad_utf8(data)
    if bad <= max(3, len(data) * _MAX_BAD_UTF8_RATIO):
        return _utf8(data, "utf-8")
    for encoding in ("cp932", "euc_jp"):
        try:
            return NoteText(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    guess = from_bytes(data).best()
    if guess is None or _control_ratio(str(guess)) > 0.05:
        raise SkipFile("binary or unknown encoding")
    return NoteText(str(guess), guess.encoding, f"encoding guessed as {guess.encoding}")


def _utf8(data: bytes, encoding: str) -> NoteText:
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    warning = f"{bad} invalid UTF-8 byte(s) replaced" if bad else None
    return NoteText(text, encoding, warning)


def _count_bad_utf8(data: bytes) -> int:
    return data.decode("utf-8", errors="replace").count("\ufffd")


def _looks_utf16_without_bom(data: bytes) -> bool:
    sample = data[:4096]
    if len(sample) < 4:
        return False
    even_nuls = sample[0::2].count(0) / len(sample[0::2])
    odd_nuls = sample[1::2].count(0) / len(sample[1::2])
    # ASCII-heavy UTF-16 has NULs in every other byte and almost none in the rest.
    return max(even_nuls, odd_nuls) > 0.4 and min(even_nuls, odd_nuls) < 0.05


def _control_ratio(text: str) -> float:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls / max(1, len(text))


def _human(size: int) -> str:
    for unit, scale in (("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"
