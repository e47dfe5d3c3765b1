"""Decoding notes in the encodings users really have, and refusing what is not a note."""

from __future__ import annotations

import codecs

import pytest

from bot.core.reading import SkipFile, decode_note, read_bytes

TEXT = "# 論文メモ\n\n自己注意だけで翻訳する Transformer。\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("cp932"), "cp932"),
        (TEXT.encode("shift_jis"), "cp932"),
    ],
)
def test_encodings_are_detected(data, encoding):
    note = decode_note(data)
    assert note.text.replace("\ufeff", "") == TEXT
    assert note.encoding == encoding


def test_a_bad_byte_in_utf8_is_replaced_and_reported():
    data = TEXT.encode("utf-8")
    cut = data.index("自".encode())
    note = decode_note(data[:cut] + b"\xff" + data[cut:])
    assert note.encoding == "utf-8"
    assert "Transformer" in note.text and "\ufffd" in note.text
    assert note.warning == "1 invalid UTF-8 byte(s) replaced"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary"),
    ],
)
def test_non_notes_are_refused_with_a_reason(data, reason):
    with pytest.raises(SkipFile, match=reason):
        decode_note(data)


def test_oversized_and_unreadable_files(tmp_path):
    big = tmp_path / "big.md"
    big.write_bytes(b"a" * 2048)
    with pytest.raises(SkipFile, match="too large"):
        read_bytes(big, max_bytes=1024)
    with pytest.raises(SkipFile, match="unreadable"):
        read_bytes(tmp_path / "missing.md", max_bytes=1024)
