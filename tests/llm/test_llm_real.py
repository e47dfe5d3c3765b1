"""A real small model, opt-in: set NOTESBOT_TEST_LLM_URL to an OpenAI-compatible server
(``../shared/tools/local-llm.sh`` starts llama.cpp with SmolLM2-135M on 127.0.0.1).

Only what a weak model cannot break is asserted: the right note is cited, nothing the notes do
not support is shown as the model's answer, summaries stay within 140 characters, and no
command ends in a traceback. CI keeps the fakes.
"""

from __future__ import annotations

import json
import os

import pytest

from tests.cli.test_cli import notesbot

URL = os.environ.get("NOTESBOT_TEST_LLM_URL")
pytestmark = [
    pytest.mark.llm_real,
    pytest.mark.skipif(not URL, reason="NOTESBOT_TEST_LLM_URL is not set (opt-in real model)"),
]
ENV = {"NOTESBOT_LLM_BASE_URL": URL or "", "NOTESBOT_LLM_TIMEOUT": "120"}


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    data = tmp_path_factory.mktemp("llm-real")
    result = notesbot("ingest", data=data)
    assert result.returncode == 0, result.stderr
    return data


def run(*args: str, data, stdin: str | None = None):
    if stdin is None:
        result = notesbot(*args, data=data, env=ENV)
    else:
        import subprocess

        from tests.cli.test_cli import NOTESBOT

        env = {**os.environ, **ENV, "NOTESBOT_DATA_DIR": str(data), "HF_HUB_OFFLINE": "1"}
        result = subprocess.run(
            [str(NOTESBOT), *args], input=stdin, env=env, capture_output=True, text=True,
            timeout=600,
        )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def shown_answer_is_supported(answer: dict) -> None:
    """The model's own text is shown only with checked citations; otherwise it was replaced."""
    if answer["mode"] == "llm":
        assert answer["citations"], answer
    else:
        assert any("model" in note for note in answer["notes"]) or not answer["notes"], answer


def test_ask_cites_the_right_note(data):
    questions = ("Transformer はなぜ学習が速いの？", "What BLEU score did the Transformer get?")
    for question in questions:
        result = run("ask", question, "--json", data=data)
        assert result.returncode == 0, result.stderr
        answer = json.loads(result.stdout)
        assert answer["citations"][0]["source"] == "deep-dive_attention.md", answer
        shown_answer_is_supported(answer)


def test_chat_follow_up_keeps_its_paper(data):
    result = run("chat", data=data, stdin="ColBERT について教えて\nその論文の会議と年は？\n")
    assert result.returncode == 0, result.stderr
    answers = result.stdout.split("Sources")
    assert len(answers) >= 3, result.stdout
    # answers[1]: the first answer's source lines (indented), then the follow-up's text.
    follow_up = "\n".join(line for line in answers[1].splitlines() if not line.startswith(" "))
    assert "ColBERT" in follow_up, result.stdout


def test_summaries_stay_within_140_characters(data):
    for query in ("Attention Is All You Need", "BM25S", "Matryoshka Representation Learning"):
        result = run("summary", query, "--json", data=data)
        assert result.returncode == 0, result.stderr
        assert len(json.loads(result.stdout)["summary"]) <= 140
    missing = run("summary", "Quantum Gravity for Cats", data=data)
    assert missing.returncode == 1 and "No paper in the notes matches" in missing.stderr
