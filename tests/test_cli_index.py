"""The `notesbot` command end to end: ingest, search (single and --queries), papers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_NOTES

pytestmark = pytest.mark.slow
NOTESBOT = Path(sys.executable).with_name("notesbot")


def notesbot(*args: str, data: Path, notes: Path = SAMPLE_NOTES) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "NOTESBOT_NOTES_DIR": str(notes),
        "NOTESBOT_DATA_DIR": str(data),
        "HF_HUB_OFFLINE": "1",
    }
    return subprocess.run(
        [str(NOTESBOT), *args], env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("cli-data")
    result = notesbot("ingest", data=data)
    assert result.returncode == 0, result.stderr
    assert "indexed 3 / unchanged 0 / skipped 0 / removed 0" in result.stderr
    return data


def test_search_queries_file_gives_one_json_array_per_line(data, tmp_path):
    queries = tmp_path / "q.txt"
    queries.write_text("Transformer の並列化\n\nDense Passage Retrieval\n", encoding="utf-8")
    result = notesbot("search", "--queries", str(queries), "--json", "-k", "2", data=data)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    first, blank, third = (json.loads(line) for line in lines)
    assert blank == []
    assert first[0]["source"] == "deep-dive_attention.md"
    assert first[0]["url"] == "http://arxiv.org/abs/1706.03762v7"
    assert third[0]["paper"].startswith("Dense Passage Retrieval")
    keys = {"rank", "score", "source", "heading", "paper", "url", "text"}
    assert all(keys <= set(hit) for hit in first + third)
    assert [hit["rank"] for hit in first] == [1, 2]


def test_search_prints_readable_hits(data):
    result = notesbot("search", "自己注意", "-k", "1", data=data)
    assert result.returncode == 0, result.stderr
    assert "[1] deep-dive_attention.md › Attention Is All You Need" in result.stdout


def test_papers_json_lists_the_catalog(data):
    result = notesbot("papers", "--json", data=data)
    assert result.returncode == 0, result.stderr
    papers = {p["title"]: p for p in json.loads(result.stdout)}
    attention = papers["Attention Is All You Need"]
    assert attention["arxiv_id"] == "1706.03762" and attention["tweet"]
    dpr = papers["Dense Passage Retrieval for Open-Domain Question Answering"]
    assert (dpr["venue"], dpr["year"]) == ("EMNLP", 2020) and len(dpr["sources"]) == 2


def test_bad_invocations_say_what_is_wrong(tmp_path, data):
    missing = notesbot("ingest", data=tmp_path / "d", notes=tmp_path / "nope")
    assert missing.returncode == 2 and "notes folder not found" in missing.stderr
    both = notesbot("search", "x", "--queries", "q.txt", data=data)
    assert both.returncode == 2 and "not both" in both.stderr
