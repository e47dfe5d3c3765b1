"""The `notesbot` command end to end: ingest, search, papers, ask, summary, eval."""

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


def notesbot(
    *args: str, data: Path, notes: Path = SAMPLE_NOTES, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "NOTESBOT_NOTES_DIR": str(notes),
        "NOTESBOT_DATA_DIR": str(data),
        "HF_HUB_OFFLINE": "1",
        **(env or {}),
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
    assert all(p["first_seen"] for p in papers.values()), "the ingest that first saw each"


def test_bad_invocations_say_what_is_wrong(tmp_path, data):
    missing = notesbot("ingest", data=tmp_path / "d", notes=tmp_path / "nope")
    assert missing.returncode == 2 and "notes folder not found" in missing.stderr
    both = notesbot("search", "x", "--queries", "q.txt", data=data)
    assert both.returncode == 2 and "not both" in both.stderr


def test_ask_json_answers_with_citations_and_no_network(data):
    result = notesbot("ask", "Transformer はなぜ学習が速い？", "--json", data=data)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert set(answer) >= {"answer", "mode", "citations"}
    assert answer["mode"] == "extractive" and "[1]" in answer["answer"]
    first = answer["citations"][0]
    assert set(first) >= {"n", "source", "heading", "paper", "url"}
    assert (first["n"], first["source"]) == (1, "deep-dive_attention.md")


def test_ask_prints_answer_then_sources(data):
    result = notesbot("ask", "What is Sentence-BERT?", data=data)
    assert result.returncode == 0, result.stderr
    text, _, sources = result.stdout.partition("Sources")
    assert text.startswith("Here is what your notes say") and "[1]" in text
    assert "[1] paper-notes.txt" in sources
    assert "(extractive)" in result.stderr


def test_summary_json_and_unknown_paper(data):
    result = notesbot("summary", "1706.03762", "--json", data=data)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["paper"] == "Attention Is All You Need"
    assert len(found["summary"]) <= 140 and found["url"].startswith("http://arxiv.org/abs/")
    assert found["source"] == "deep-dive_attention.md"
    missing = notesbot("summary", "Quantum Gravity for Cats", data=data)
    assert missing.returncode == 1 and "No paper in the notes matches" in missing.stderr
    assert "Closest titles in your notes:" in missing.stderr, "suggests what is there"


def test_eval_reports_recall_and_refusals(data):
    # The retrieval report's refusals are relevance-only: measured at the old 0.3 cutoff.
    result = notesbot(
        "eval", str(SAMPLE_NOTES.parent / "eval.jsonl"), "--json", data=data,
        env={"NOTESBOT_ANSWER_MIN_RELEVANCE": "0.3"},
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["answerable"] == 13 and report["unanswerable"] == 4
    assert report["R@5"] >= 0.9 and report["unanswerable_refused"] == 4


def test_eval_names_the_bad_line(tmp_path, data):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"q": "ok", "source": null}\n{"q": \n', encoding="utf-8")
    result = notesbot("eval", str(bad), data=data)
    assert result.returncode == 2 and "line 2" in result.stderr


def test_questions_without_an_index_say_how_to_build_one(tmp_path):
    result = notesbot("ask", "なにか", data=tmp_path / "empty")
    assert result.returncode == 2 and "notesbot ingest" in result.stderr


def test_chat_remembers_the_conversation_and_forgets_on_new(data):
    env = {**os.environ, "NOTESBOT_DATA_DIR": str(data), "HF_HUB_OFFLINE": "1"}
    script = "ColBERT について教えて\nその論文の会議と年は？\n/new\n/paper 1706.03762\n"
    result = subprocess.run(
        [str(NOTESBOT), "chat"], input=script, env=env, capture_output=True, text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    answers = result.stdout.split("Sources")
    assert len(answers) == 3, "two answers, each with sources"
    assert "SIGIR 2020" in answers[1], "the follow-up used the first question's words"
    assert "(conversation forgotten)" in result.stderr
    assert "Attention Is All You Need" in answers[2], "/paper summarizes"


def test_eval_answers_measures_citation_validity_with_a_model(data, openai_server):
    from tests.fakes.openai_fake import MODEL, quoting_responder

    env = {"NOTESBOT_LLM_BASE_URL": openai_server.base_url, "NOTESBOT_LLM_MODEL": MODEL}
    eval_file = str(SAMPLE_NOTES.parent / "eval.jsonl")
    openai_server.responder = quoting_responder
    good = notesbot("eval", eval_file, "--answers", "--json", data=data, env=env)
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["citation_validity"] == 1.0
    report = json.loads(good.stdout)["answers"]
    assert report["context_budget"] == 750, "the fake model's window is not known: small"
    budgets = report["context_by_budget"]
    assert list(budgets) == ["750", "1500", "4000", "8000"]
    tokens = [row["prompt_tokens_p50"] for row in budgets.values()]
    assert tokens == sorted(tokens) and tokens[0] > 0
    assert budgets["750"]["context_recall"] == report["context_recall"]
    openai_server.responder = lambda body: "でっち上げ [9] https://evil.example/x"
    bad = notesbot("eval", eval_file, "--answers", "--json", data=data, env=env)
    assert json.loads(bad.stdout)["citation_validity"] == 0.0


def test_feedback_lists_exports_eval_rows_that_eval_scores_and_clears(data, tmp_path):
    from bot.core.answers import Answer, Citation
    from bot.state.store import StateStore

    state = StateStore(data / "state.sqlite3")
    cited = (Citation(1, "deep-dive_attention.md", "Attention Is All You Need > 3. 結果",
                      "Attention Is All You Need", None, 20, 20),)
    good = Answer("Transformer の BLEU は？", "WMT 2014 英独翻訳で BLEU 28.4 [1]。", cited,
                  "extractive", "ja")
    bad = Answer("ColBERT の会議は？", "RNN は逐次計算 [1]。", cited, "llm", "ja")
    state.record_answer("slack", "C1:1.0", "U1", good)
    state.record_answer("telegram", "42:7", "42", bad)
    state.add_feedback("slack", "C1:1.0", "U1", "up")
    state.add_feedback("telegram", "42:7", "42", "down")
    state.close()

    listed = notesbot("feedback", "--json", data=data)
    assert listed.returncode == 0, listed.stderr
    assert {(v["platform"], v["vote"]) for v in json.loads(listed.stdout)} == {
        ("slack", "up"), ("telegram", "down")}
    exported = tmp_path / "feedback.jsonl"
    result = notesbot("feedback", "--export", str(exported), data=data)
    assert result.returncode == 0 and "1 eval rows and 1 to review" in result.stderr
    row, review = exported.read_text(encoding="utf-8").splitlines()
    assert json.loads(row) | {"id": None} == {
        "id": None, "kind": "feedback", "q": "Transformer の BLEU は？",
        "source": "deep-dive_attention.md", "keys": ["WMT", "2014", "BLEU"]}
    assert review.startswith("// review (👎): ") and "ColBERT の会議は？" in review
    scored = notesbot("eval", str(exported), "--answers", data=data)
    assert scored.returncode == 0, scored.stderr
    assert "feedback" in scored.stdout and "right" in scored.stdout
    cleared = notesbot("feedback", "--clear", data=data)
    assert cleared.returncode == 0 and "deleted 2 votes" in cleared.stderr
    assert json.loads(notesbot("feedback", "--json", data=data).stdout) == []
