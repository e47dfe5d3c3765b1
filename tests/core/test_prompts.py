"""Prompt files: both languages, the placeholders the code fills, the rules that matter."""

from __future__ import annotations

import pytest

from bot.app.settings import REPO_PROMPTS
from bot.core.prompts import PromptBook, PromptError

PLACEHOLDERS = {
    "answer": {"passages", "question"},
    "rewrite": {"history", "question"},
    "summary140": {"title", "notes", "feedback"},
    "arxiv140": {"title", "abstract", "examples"},
    "arxiv_note": {"title", "abstract"},
}


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("name", sorted(PLACEHOLDERS))
def test_every_prompt_has_its_placeholders(name, lang):
    book = PromptBook(REPO_PROMPTS)
    assert book.placeholders(name, lang) == PLACEHOLDERS[name]
    system, user = book.messages(name, lang, **dict.fromkeys(PLACEHOLDERS[name], "X"))
    assert system["role"] == "system" and user["role"] == "user"
    assert system["content"] and "$" not in system["content"] + user["content"]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_answer_prompts_require_numbered_citations_and_known_links_only(lang):
    system, _ = PromptBook(REPO_PROMPTS).messages("answer", lang, passages="P", question="Q")
    assert "[1]" in system["content"] and "[2][3]" in system["content"]
    assert ("URL" in system["content"]) and ("arXiv" in system["content"])
    assert "140" in PromptBook(REPO_PROMPTS).messages(
        "summary140", lang, title="T", notes="N", feedback=""
    )[0]["content"]


def test_a_broken_prompt_folder_fails_with_a_clear_message(tmp_path):
    (tmp_path / "answer.ja.txt").write_text("no separator line", encoding="utf-8")
    with pytest.raises(PromptError, match="=== user ==="):
        PromptBook(tmp_path).messages("answer", "ja", passages="", question="")
    with pytest.raises(PromptError, match="unreadable"):
        PromptBook(tmp_path).messages("answer", "en", passages="", question="")
