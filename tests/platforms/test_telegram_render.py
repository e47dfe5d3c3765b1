"""Markdown to Telegram HTML: escaping, formatting, and valid pieces at 4,096 characters."""

from __future__ import annotations

from bot.core.answers import Answer, Citation
from bot.core.phrases import phrase
from bot.platforms.dialects.telegram_html import (
    answer_buttons,
    answer_html,
    followup_html,
    plain,
    split_html,
    to_html,
)
from tests.fakes.telegram_html import visible_text


def test_formatting_links_and_escaping():
    html = to_html("**太字** *斜体* `a<b>` [論文](https://x.org/?a=1&b=2) a < b & c")
    assert html == (
        '<b>太字</b> <i>斜体</i> <code>a&lt;b&gt;</code> '
        '<a href="https://x.org/?a=1&amp;b=2">論文</a> a &lt; b &amp; c'
    )
    assert visible_text(html) == "太字 斜体 a<b> 論文 a < b & c"


def test_lists_quotes_code_and_tables():
    html = to_html("- 一\n- 二\n\n> 引用\n\n```\nx < 1\n```\n\n| a | 全角 |\n|---|---|\n| 1 | 2 |")
    assert "• 一\n• 二" in html and "<blockquote>引用</blockquote>" in html
    assert "<pre>x &lt; 1</pre>" in html
    assert "<pre>a | 全角\n--+-----\n1 | 2</pre>" in html
    visible_text(html)  # Telegram would accept it


def test_a_10000_character_answer_becomes_several_valid_messages():
    paragraph = "**自己注意**は系列を並列に処理でき、<速い> & 安定。" * 8
    code = "```\n" + "\n".join(f"if a < {i}: pass" for i in range(300)) + "\n```"
    text = "\n\n".join([paragraph] * 20 + [code] + [paragraph] * 10)
    assert len(text) > 10_000
    citations = (Citation(1, "n.md", "H", "Paper", "https://arxiv.org/abs/1706.03762", 1, 2),)
    pieces = answer_html(Answer("q", text, citations, "llm", "ja"))
    assert len(pieces) >= 3
    seen = ""
    for piece in pieces:
        assert len(piece) <= 4096
        seen += visible_text(piece)  # raises where Telegram says "can't parse entities"
    assert seen.count("自己注意") == 30 * 8 and seen.count("if a < 299: pass") == 1
    assert "[1] Paper · n.md (L1–2)" in visible_text(pieces[-1])


def test_a_long_line_is_cut_outside_tags_and_entities():
    html = "<b>" + "&amp;あ" * 3000 + "</b>"
    pieces = split_html(html, 1000)
    assert all(len(p) <= 1000 for p in pieces)
    assert "".join(visible_text(p) for p in pieces) == "&あ" * 3000


def test_plain_is_what_the_reader_sees():
    assert plain('<b>a</b> &lt;b&gt; <a href="u">l</a>') == "a <b> l"


def test_each_cited_passage_is_shown_folded_under_the_answer_as_evidence():
    from bot.core.models import Chunk

    chunk = Chunk("c1", "n.md", "Paper > 3. 結果", 5, 6, "BLEU 28.4 <最高> & 速い。\n" * 40,
                  paper="Paper")
    cited = Citation.of(1, chunk)
    assert len(cited.excerpt) == 300 and cited.excerpt.endswith("…") and "\n" not in cited.excerpt
    pages = answer_html(Answer("q", "答え [1]", (cited,), "llm", "ja"))
    html = "\n".join(pages)
    assert "<blockquote expandable><b>[1]</b> 3. 結果\nBLEU 28.4 &lt;最高&gt; &amp; 速い。" in html
    assert "BLEU 28.4 <最高> & 速い。" in visible_text(pages[-1])  # Telegram can parse it


def test_buttons_under_an_answer_follow_what_it_cites():
    paper = Citation(1, "n.md", "P > H", "Paper", "https://arxiv.org/abs/1706.03762", 1, 2)
    untitled = Citation(1, "log.md", "H", None, None, 1, 2)
    votes = [("👍", "up"), ("👎", "down")]
    assert answer_buttons(Answer("q", "a", (), "llm", "en")) == [votes]
    assert answer_buttons(Answer("q", "a", (untitled,), "llm", "en")) == [
        votes, [(phrase("button_sources", "en"), "src")]]
    assert answer_buttons(Answer("q", "a", (paper,), "llm", "ja"))[1] == [
        (phrase("button_sources", "ja"), "src"), (phrase("button_summary", "ja"), "sum")]


def test_the_sources_button_shows_each_cited_passage_in_full_and_valid_html():
    long = "自己注意 <b> & 並列化。\n" * 400  # past one message, with markup-like text
    cited = [{"n": n, "source": "deep.md", "heading": "Title > 2. 手法", "url": None,
              "lines": [3, 9], "passage": long} for n in (1, 2)]
    pages = followup_html({"citations": cited}, None, "ja")
    assert len(pages) >= 2 and all(len(p) <= 4096 for p in pages)
    seen = "".join(visible_text(p) for p in pages)  # each page parses alone
    assert seen.startswith("出典") and "[2] deep.md › Title › 2. 手法 (L3–9)" in seen
    assert seen.count("自己注意 <b> & 並列化。") == 800


def test_a_button_on_an_answer_no_longer_recorded_or_citing_no_paper_says_so():
    assert followup_html(None, None, "en") == [phrase("answer_gone", "en")]
    assert followup_html({"citations": []}, [], "ja") == [phrase("no_cited_paper", "ja")]
