"""A running bot's index follows the notes folder: saves, edits, deletions, bursts, files
vanishing mid-pass, files still being written, and another process's ingest."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time

import pytest

from bot.live.passes import affected
from tests.live.harness import live_notes, within
from tests.support import index_counts, run_ingest, settings_for

pytestmark = pytest.mark.slow
NOTESBOT = os.path.join(os.path.dirname(sys.executable), "notesbot")
QUESTION = "Okapi Net の音声認識の WER は？"


def okapi(wer: str) -> str:
    return f"# Okapi Net\n\nOkapi Net は音声認識モデルで、LibriSpeech で WER {wer} を達成した。\n"


async def test_a_saved_edited_renamed_and_deleted_note_is_followed_within_seconds(
    tmp_path, embedder
):
    async with live_notes(tmp_path, embedder) as world:
        text, cited = await world.cited(QUESTION)
        assert "3.1%" not in text and "okapi.md" not in cited

        (world.notes / "okapi.md").write_text(okapi("3.1%"), encoding="utf-8")

        async def answered(fact: str) -> bool:
            text, cited = await world.cited(QUESTION)
            return fact in text and "okapi.md" in cited

        assert await within(10, lambda: answered("3.1%")) < 10
        (world.notes / "okapi.md").write_text(okapi("2.4%"), encoding="utf-8")
        await within(10, lambda: answered("2.4%"))

        async def cited_as(source: str) -> bool:
            return (await world.cited(QUESTION))[1] & {"okapi.md", source} == {source}

        (world.notes / "speech").mkdir()
        (world.notes / "okapi.md").rename(world.notes / "speech" / "okapi-net.md")
        await within(10, lambda: cited_as("speech/okapi-net.md"))  # a file renamed
        (world.notes / "speech").rename(world.notes / "audio")
        await within(10, lambda: cited_as("audio/okapi-net.md"))  # its folder renamed
        (world.notes / "audio" / "okapi-net.md").unlink()

        async def forgotten() -> bool:
            text, cited = await world.cited(QUESTION)
            return not any("okapi" in source for source in cited) and "2.4%" not in text

        await within(10, forgotten)


async def test_200_saves_in_5_s_are_a_few_passes_and_end_equal_to_a_clean_rebuild(
    tmp_path, embedder
):
    async with live_notes(tmp_path, embedder) as world:
        await world.settle()
        before = world.live.passes
        note = world.notes / "burst.md"
        for n in range(200):
            note.write_text(f"# Burst\n\n保存 {n} 回目の本文。Burst note revision {n}.\n")
            await asyncio.sleep(0.025)
        await world.settle()
        passes = world.live.passes - before
        print("passes for 200 saves in 5 s:", passes)
        assert 1 <= passes <= 8, passes
        hits = await world.runtime.assistant.search("Burst note revision", 1)
        assert "revision 199" in hits[0].chunk.text
    clean = settings_for(world.notes, tmp_path / "clean")
    run_ingest(clean, embedder)
    assert index_counts(world.settings, embedder) == index_counts(clean, embedder)


async def test_files_removed_while_they_are_indexed_cost_nothing(tmp_path, embedder, caplog):
    async with live_notes(tmp_path, embedder) as world:
        await world.settle()
        folder = world.notes / "batch"
        folder.mkdir()
        for n in range(40):
            (folder / f"n{n:02d}.md").write_text(f"# 一時ノート {n}\n\n内容 {n} の説明文です。\n")

        def remove_half() -> None:
            for n in range(0, 40, 2):
                (folder / f"n{n:02d}.md").unlink()
                time.sleep(0.01)

        remover = threading.Thread(target=remove_half)
        remover.start()
        report = await world.live.request([f"batch/n{n:02d}.md" for n in range(40)])
        remover.join()
        assert report is not None and not report.skipped  # vanished files are no error
        await world.settle()
    assert "Traceback" not in caplog.text
    clean = settings_for(world.notes, tmp_path / "clean")
    run_ingest(clean, embedder)
    got, want = index_counts(world.settings, embedder), index_counts(clean, embedder)
    assert got == want and got["files"] == 3 + 20


async def test_a_bad_file_saved_is_one_warning_and_the_good_ones_are_indexed(
    tmp_path, embedder, caplog
):
    async with live_notes(tmp_path, embedder) as world:
        (world.notes / "broken.md").write_bytes(b"\x00\x01binary\x00" * 100)
        (world.notes / "okapi.md").write_text(okapi("3.1%"), encoding="utf-8")
        await world.settle()
        assert set(world.runtime.index.store.file_hashes()) == {
            "2026-01-10_session.md", "deep-dive_attention.md", "paper-notes.txt", "okapi.md"}
    skipped = [r.getMessage() for r in caplog.records if "broken.md" in r.getMessage()]
    assert skipped == ["notes pass: skipped broken.md: binary (contains NUL bytes)"]


async def test_a_note_still_being_written_ends_indexed_whole(tmp_path, embedder):
    async with live_notes(tmp_path, embedder) as world:
        note = world.notes / "growing.md"
        with note.open("w", encoding="utf-8") as out:
            out.write("# Growing\n\n")
            for n in range(30):  # pauses longer than the debounce: passes run mid-write
                out.write(f"段落 {n}: Growing note paragraph number {n}.\n\n")
                out.flush()
                await asyncio.sleep(0.05)
        await world.settle()
        texts = [c.body for c in world.runtime.index.store.chunks_by_id(
            world.runtime.index.store.chunk_ids("growing.md")).values()]
        assert any("paragraph number 29" in t for t in texts)
        assert sum(t.count("Growing note paragraph") for t in texts) == 30


async def test_another_writers_ingest_is_seen_without_the_watcher(tmp_path, embedder):
    """NOTESBOT_WATCH=false: a cron `notesbot ingest` in another process is answered from,
    dense side included (this process's embedded Chroma reopens its copy)."""
    await _another_writer(tmp_path, embedder, {})


async def test_another_writer_through_a_chroma_server_is_seen(tmp_path, embedder, chroma_server):
    server = {"chroma_host": chroma_server.host, "chroma_port": chroma_server.port,
              "chroma_collection": "live-notes"}
    await _another_writer(tmp_path, embedder, server)


async def _another_writer(tmp_path, embedder, chroma: dict) -> None:
    async with live_notes(tmp_path, embedder, watch=False, **chroma) as world:
        (world.notes / "okapi.md").write_text(okapi("3.1%"), encoding="utf-8")
        await asyncio.sleep(1.5)
        assert "okapi.md" not in (await world.cited(QUESTION))[1], "nobody ingested it yet"
        env = {**os.environ, "NOTESBOT_NOTES_DIR": str(world.notes),
               "NOTESBOT_DATA_DIR": str(world.settings.data_dir), "HF_HUB_OFFLINE": "1",
               **{f"NOTESBOT_{k.upper()}": str(v) for k, v in chroma.items()}}
        subprocess.run([NOTESBOT, "ingest"], env=env, check=True, capture_output=True,
                       timeout=120)

        async def answered() -> bool:
            text, cited = await world.cited(QUESTION)
            return "3.1%" in text and "okapi.md" in cited

        await within(10, answered)
        index = world.runtime.index
        (chunk,) = index.store.chunk_ids("okapi.md")
        vector = index.embedder.embed_query("LibriSpeech WER Okapi Net")
        assert chunk in [c for c, _ in index.vectors.query(vector, 5)]


def test_a_change_touches_the_notes_it_names(tmp_path):
    (tmp_path / "papers" / "deep").mkdir(parents=True)
    (tmp_path / "papers" / "deep" / "a.md").write_text("# A\n")
    (tmp_path / "papers" / "b.txt").write_text("B\n")
    (tmp_path / "figure.png").write_bytes(b"\x89PNG")
    known = ["gone/x.md", "gone/y.md", "kept.md"]
    assert affected(tmp_path, ["kept.md"], known) == {"kept.md"}
    assert affected(tmp_path, ["papers"], known) == {"papers/deep/a.md", "papers/b.txt"}
    assert affected(tmp_path, ["gone"], known) == {"gone/x.md", "gone/y.md"}  # a folder removed
    assert affected(tmp_path, ["figure.png", "4913"], known) == set()  # vim's probe file
