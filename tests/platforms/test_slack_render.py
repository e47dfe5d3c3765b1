"""Markdown to Slack mrkdwn and Block Kit: formatting, escaping, and the size limits."""

from __future__ import annotations

from bot.core.answers import Answer, Citation
from bot.platforms.dialects.slack_blocks import MAX_BLOCKS, SECTION_CHARS, answer_messages
from bot.platforms.dialects.slack_mrkdwn import split_text, to_mrkdwn

Z = "\u200b"  # zero-width space


def test_inline_formatting_links_and_escaping():
    md = "**太字** と *強調*、`a<b>` と [論文](https://arxiv.org/abs/1706.03762) & ~~古い~~"
    assert to_mrkdwn(md).replace(Z, "") == (
        "*太字* と _強調_、`a&lt;b&gt;` と <https://arxiv.org/abs/1706.03762|論文> &amp; ~古い~"
    )


def test_emphasis_touching_japanese_gets_word_boundaries_slack_can_see():
    # Slack shows "LoRAは*低ランク行列*で" with its stars: markers need a boundary around them.
    assert to_mrkdwn("LoRAは**低ランク行列**で") == f"LoRAは{Z}*低ランク行列*{Z}で"
    assert to_mrkdwn("*斜体*と~~取消~~") == f"{Z}_斜体_{Z}と{Z}~取消~{Z}"


def test_headings_lists_and_quotes():
    md = "## 結果\n\n- 速い [1]\n- 並列化\n  - 入れ子\n\n1. 一\n2. 二\n\n> 引用"
    assert to_mrkdwn(md) == (
        f"{Z}*結果*{Z}\n\n• 速い [1]\n• 並列化\n    • 入れ子\n\n1. 一\n2. 二\n\n> 引用"
    )


def test_code_blocks_keep_their_content_escaped():
    assert to_mrkdwn("```python\nif a < b:\n    print('x')\n```") == (
        "```\nif a &lt; b:\n    print('x')\n```"
    )


def test_tables_become_aligned_code_blocks_counting_full_width_characters():
    md = "| タイトル | 年 |\n|---|---|\n| Attention | 2017 |\n| 長い論文名 | 2020 |"
    lines = to_mrkdwn(md).split("\n")
    assert lines[0] == lines[-1] == "```"
    assert lines[1] == "タイトル   | 年"
    assert lines[3] == "Attention  | 2017"
    assert lines[4] == "長い論文名 | 2020", "full-width characters count as two columns"


def test_a_10000_character_answer_splits_under_the_limits():
    paragraph = "自己注意は系列全体を並列に処理できるため学習が速い。" * 12
    code = "```\n" + "\n".join(f"line {i} < {i + 1}" for i in range(150)) + "\n```"
    text = "\n\n".join([paragraph] * 18 + [code] + [paragraph] * 12)
    assert len(text) > 10_000
    citations = tuple(
        Citation(n, f"note{n}.md", "H", f"Paper {n}", None, 1, 2) for n in range(1, 13)
    )
    pages = answer_messages(
        Answer("q", text, citations, "llm", "ja"), feedback_ref="C:1"
    )
    sections = [b["text"]["text"] for page in pages for b in page if b["type"] == "section"]
    assert all(len(page) <= MAX_BLOCKS for page in pages)
    assert all(len(s) <= SECTION_CHARS for s in sections)
    assert all(s.count("```") % 2 == 0 for s in sections), "every code block closed"
    joined = "\n".join(sections).replace("```\n```\n", "")
    assert joined.count("自己注意は") == 30 * 12, "no text lost or repeated"
    assert joined.count("line 149 &lt; 150") == 1
    last = pages[-1]
    assert [b["type"] for b in last[-2:]] == ["context", "actions"], "sources, then buttons"
    context = last[-2]
    assert len(context["elements"]) <= 10
    assert "*[12]*" in "\n".join(e["text"] for e in context["elements"])
    assert last[-1]["type"] == "actions"


def test_split_text_cuts_long_lines_without_losing_characters():
    text = "あ" * 7000
    pieces = split_text(text, 3000)
    assert all(len(p) <= 3000 for p in pieces) and "".join(pieces) == text


def test_segments_of_one_long_line_rejoin_without_a_newline():
    text = "語" * 1800 + "\n" + "word " * 300
    pieces = split_text(text, 3000)
    assert all(len(p) <= 3000 for p in pieces)
    assert "\n".join(pieces).count("\n") <= len(pieces), "no line breaks invented"
    assert "".join(p.replace("\n", "") for p in pieces) == text.replace("\n", "")
