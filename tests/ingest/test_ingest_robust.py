"""Bad input never stops an ingest; re-runs are incremental; settings changes rebuild."""

from __future__ import annotations

import codecs
import shutil
from pathlib import Path

from tests.conftest import SAMPLE_NOTES
from tests.support import index_counts, run_ingest, searcher_for, settings_for

GOOD = {
    "sjis.md": ("# 量子化メモ\n\n低ビット量子化でカモノハシ推論を速くする話。\n", "cp932"),
    "utf16.txt": ("# UTF-16 note\n\nアルパカ蒸留の実験メモ。\n", "utf-16"),
    "bom.md": ("\ufeff# BOM付き\n\nシマウマ検索の改善について。\n", "utf-8"),
    "nested/deep/fence.md": ("# Unclosed\n\nキリン注意機構の説明。\n\n```python\nx = 1\n", "utf-8"),
    "ragged.md": (
        "# Ragged\n\n| タイトル | 年 |\n|---|---|\n| **Ocelot Paper** | 2021 | extra |\n| only\n",
        "utf-8",
    ),
}
NEEDLES = {
    "sjis.md": "カモノハシ",
    "utf16.txt": "アルパカ",
    "bom.md": "シマウマ",
    "nested/deep/fence.md": "キリン",
    "ragged.md": "Ocelot",
    "bad-byte.md": "ペンギン",
}


def _hostile(folder: Path) -> None:
    for name, (text, encoding) in GOOD.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode(encoding))
    broken = "# 壊れたバイト\n\nペンギン検索の".encode() + b"\xff" + "メモ。\n".encode()
    (folder / "bad-byte.md").write_bytes(broken)
    (folder / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "huge.md").write_bytes(b"# big\n" + b"a" * (10 * 1024 * 1024))
    (folder / "image.png").write_bytes(b"\x89PNG")  # not a note suffix: not even looked at


def test_hostile_folder_ingests_good_files_and_reports_bad(tmp_path, embedder):
    notes = tmp_path / "notes"
    notes.mkdir()
    _hostile(notes)
    settings = settings_for(notes, tmp_path / "data")
    report = run_ingest(settings, embedder)

    assert sorted(report.indexed) == sorted(NEEDLES)
    skipped = dict(report.skipped)
    assert set(skipped) == {"binary.md", "empty.txt", "huge.md"}
    assert "binary" in skipped["binary.md"]
    assert skipped["empty.txt"] == "empty"
    assert "too large" in skipped["huge.md"]
    assert report.warnings == [("bad-byte.md", "1 invalid UTF-8 byte(s) replaced")]
    assert report.ok

    searcher, index = searcher_for(settings, embedder)
    try:
        for source, needle in NEEDLES.items():
            hits = searcher.search(needle, k=3)
            assert hits and hits[0].chunk.source == source, (needle, hits)
    finally:
        index.close()


def test_incremental_changes_renames_and_deletes(tmp_path, embedder):
    notes = tmp_path / "notes"
    shutil.copytree(SAMPLE_NOTES, notes)
    settings = settings_for(notes, tmp_path / "data")
    first = run_ingest(settings, embedder)
    assert len(first.indexed) == 3 and first.rebuilt

    again = run_ingest(settings, embedder)
    assert (again.indexed, again.unchanged, again.removed) == ([], 3, [])

    (notes / "paper-notes.txt").rename(notes / "renamed.txt")
    deep = notes / "deep-dive_attention.md"
    addition = "\n## 9. 追記\n\nハリネズミ実験。\n"
    deep.write_text(deep.read_text(encoding="utf-8") + addition, encoding="utf-8")
    (notes / "2026-01-10_session.md").unlink()
    changed = run_ingest(settings, embedder)
    assert sorted(changed.indexed) == ["deep-dive_attention.md", "renamed.txt"]
    assert changed.removed == ["2026-01-10_session.md", "paper-notes.txt"]
    counts = index_counts(settings, embedder)
    assert counts["chroma_ids_match"] and counts["bm25_ids_match"] and counts["files"] == 2

    searcher, index = searcher_for(settings, embedder)
    try:
        assert searcher.search("ハリネズミ", k=1)[0].chunk.source == "deep-dive_attention.md"
        assert all(h.chunk.source != "2026-01-10_session.md" for h in searcher.search("ColBERT"))
    finally:
        index.close()


def test_changed_chunker_setting_rebuilds(tmp_path, embedder):
    settings = settings_for(SAMPLE_NOTES, tmp_path / "data")
    run_ingest(settings, embedder)
    smaller = settings.model_copy(update={"chunk_max_chars": 200})
    report = run_ingest(smaller, embedder)
    assert report.rebuilt and len(report.indexed) == 3
    counts = index_counts(smaller, embedder)
    assert counts["chroma_ids_match"] and counts["bm25_ids_match"]


def test_forced_rebuild_and_empty_folder(tmp_path, embedder):
    settings = settings_for(SAMPLE_NOTES, tmp_path / "data")
    run_ingest(settings, embedder)
    assert run_ingest(settings, embedder, rebuild=True).rebuilt

    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "blank.md").write_bytes(codecs.BOM_UTF8)
    report = run_ingest(settings_for(empty, tmp_path / "data2"), embedder)
    assert not report.ok and report.skipped == [("blank.md", "empty")]


def test_size_limit_is_configurable(tmp_path, embedder):
    settings = settings_for(SAMPLE_NOTES, tmp_path / "data", max_file_mb=0.001)  # 1,048 bytes
    report = run_ingest(settings, embedder)
    assert report.skipped == [("2026-01-10_session.md", "too large (1.1 KB > limit 1.0 KB)")]
    assert sorted(report.indexed) == ["deep-dive_attention.md", "paper-notes.txt"]


def test_papers_keep_when_they_first_entered_the_index(tmp_path, embedder):
    import time

    from bot.core.catalog import build_catalog
    from tests.support import open_with

    notes = tmp_path / "notes"
    shutil.copytree(SAMPLE_NOTES, notes)
    settings = settings_for(notes, tmp_path / "data")
    run_ingest(settings, embedder)

    def catalog() -> dict[str, str | None]:
        index = open_with(settings, embedder)
        try:
            papers = build_catalog(index.store.mentions(), index.store.first_seen())
        finally:
            index.close()
        return {p.title: p.first_seen for p in papers}

    before = catalog()
    assert before and all(before.values())
    time.sleep(1.1)  # first_seen has one-second resolution
    (notes / "new.md").write_text(
        "# Mamba: Linear-Time Sequence Modeling\n\n[View Paper](http://arxiv.org/abs/2312.00752)\n"
        "\n## 1. 概要\n\n選択的状態空間モデル。\n",
        encoding="utf-8",
    )
    run_ingest(settings, embedder, rebuild=True)
    after = catalog()
    new = after.pop("Mamba: Linear-Time Sequence Modeling")
    assert after == before, "a rebuild does not make old papers new"
    assert new > max(v for v in before.values() if v)
