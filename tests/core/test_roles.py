"""Sections known by their role in both languages, and questions by the role they ask for."""

from __future__ import annotations

import pytest

from bot.core.roles import heading_role, question_role, section_role


@pytest.mark.parametrize(
    ("heading", "role"),
    [
        ("どんなもの?", "summary"),
        ("1. どんなもの？", "summary"),
        ('<font color="MediumSpringGreen"> 2. 先行研究と比べてどこがすごいの？ </font>', "novelty"),
        ("技術や手法のキモはどこ? or 提案手法の詳細", "method"),
        ('3. 技術や手法の"キモ"はどこにある？', "method"),
        ("どうやって有効だと検証した?", "evaluation"),
        ("議論はある?", "discussion"),
        ("次に読むべき論文は?", "next"),
        ("8. この論文を140字以内のツイートで要約すると？", "tweet"),
        ("TL;DR", "summary"),
        ("Problem Statement", "problem"),
        ("Idea", "method"),
        ("Experiments", "evaluation"),
        ("4. Limitationや問題点は何か", "discussion"),  # the role named first
        ("結果と考察", "evaluation"),
    ],
)
def test_section_headings_are_known_by_their_role(heading, role):
    assert heading_role(heading) == role


@pytest.mark.parametrize(
    "title",
    [
        "Training Compute-Optimal Large Language Models",
        "Model-Agnostic Meta-Learning for Fast Adaptation",
        "Multi Agent based Medical Assistant for Edge Devices",
        "PointNet++",
    ],
)
def test_titles_are_no_sections(title):
    assert heading_role(title) is None


def test_a_passage_takes_the_role_of_its_section_under_the_title():
    assert section_role("PointNet > どうやって有効だと検証した? > ModelNet40") == "evaluation"
    assert section_role("PointNet > PointNet") is None


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("どんな手法？", "method"),
        ("How was it evaluated?", "evaluation"),
        ("この論文の新規性は？", "novelty"),
        ("What datasets did they use?", "evaluation"),
        ("What is SimSiam about?", "summary"),
        ("GPUは何枚？", None),
    ],
)
def test_questions_are_known_by_the_role_they_ask_for(question, role):
    assert question_role(question) == role
