"""The rules that read any researcher's note, each on the smallest note that needs it: which
title, link and summary a paper gets, what is metadata, and what is no paper."""

from __future__ import annotations

from bot.core.catalog import build_catalog
from bot.core.models import PaperMention
from bot.core.notes import ChunkingOptions, ParsedNote, parse_note
from bot.core.summaries import find_paper


def parse(source: str, text: str) -> ParsedNote:
    return parse_note(source, text, options=ChunkingOptions(), content_hash="0" * 16)


def passages(note: ParsedNote) -> str:
    return "\n".join(chunk.body for chunk in note.chunks)


def test_summary_prefers_the_summary_section_then_tldr_then_excerpt_then_prose():
    base = "---\ntitle: A Paper\nexcerpt: From the excerpt.\narxiv: 1234.56789\n---\n\n"
    prose = "## Background\n\nThe authors propose things, first prose.\n\n"
    tldr = "TL;DR: the tldr line.\n\n"
    section = "## Summary\n\nFrom the summary section.\n\n"
    assert parse("a.md", base + prose + section).mentions[0].summary == "From the summary section."
    assert parse("a.md", base + prose + tldr).mentions[0].summary == "the tldr line."
    assert parse("a.md", base + prose).mentions[0].summary == "From the excerpt."
    no_excerpt = "---\ntitle: A Paper\nurl: https://arxiv.org/abs/1234.56789\n---\n\n"
    assert parse("a.md", no_excerpt + prose).mentions[0].summary == (
        "The authors propose things, first prose."
    )


def test_a_link_whose_text_holds_the_title_is_the_papers_link():
    note = "---\ntitle: Focal Loss for Dense Object Detection\n---\n\n"
    note += "## 1. どんなもの？\n\n損失。\n\n"
    note += "## 2. 技術や手法のキモ\n\nγ。\n\n### 論文情報\n\n"
    note += "- [Lin et al. Focal Loss for Dense Object Detection. ICCV](https://example.org/focal)\n"
    assert parse("a.md", note).mentions[0].url == "https://example.org/focal"


def test_section_headings_never_become_papers():
    note = (
        "---\ntitle: Some Paper\n---\n\n## Idea\n\n[Code](https://arxiv.org/abs/1111.11111)\n\n"
        "## 実験\n\n[結果の図](https://arxiv.org/pdf/1111.11111.pdf)\n"
    )
    assert [m.title for m in parse("a.md", note).mentions] == ["Some Paper"]


def test_a_venue_section_is_not_a_list_of_papers():
    note = "# A Paper\n\n論文 : [arxiv](https://arxiv.org/abs/1111.11111)\n\n"
    note += "## どんなもの?\n\n何か。\n\n"
    note += "## 会議, 論文誌, etc.\n##### GRAPP 2006: Proceedings of the Conference, 2006\n"
    assert [m.title for m in parse("a.md", note).mentions] == ["A Paper"]


def test_a_horizontal_rule_pair_is_not_front_matter():
    parsed = parse("a.md", "---\nJust a paragraph between rules.\n---\n\nMore text.\n")
    assert parsed.warnings == []
    assert "Just a paragraph" in "\n".join(chunk.text for chunk in parsed.chunks)


def test_a_paper_link_line_at_the_top_titles_the_note():
    note = "[Effective Approaches to Attention-based NMT](https://arxiv.org/abs/1508.04025)\n\n"
    note += "TLDR; The authors test global and local attention.\n"
    paper = parse("effective-approaches.md", note).mentions[0]
    assert paper.title == "Effective Approaches to Attention-based NMT"
    assert paper.url == "https://arxiv.org/abs/1508.04025" and paper.year == 2015


def test_a_mistyped_arxiv_link_still_names_the_paper():
    note = "## [Incorporating Copying Mechanism](ttp://arxiv.org/abs/1603.06393)\n\n"
    note += "TLDR; CopyNet.\n"
    assert parse("copynet.md", note).mentions[0].url == "https://arxiv.org/abs/1603.06393"


def test_a_note_speaking_of_the_paper_is_about_one():
    note = "---\ntitle: mixup - Beyond Empirical Risk Minimization\n---\n\n## Introduction\n\n"
    note += "* The paper proposes a simple data augmentation called mixup.\n"
    assert [m.title for m in parse("mixup.md", note).mentions] == [
        "mixup - Beyond Empirical Risk Minimization"
    ]
    memo = "---\ntitle: Things I learned\n---\n\n## Introduction\n\nSome notes on GPUs.\n"
    assert parse("memo.md", memo).mentions == []


def test_a_title_block_with_a_keywords_line_describes_a_work():
    note = "% Automatic Extraction of Briefing Templates\n% \n% 自然言語処理 自動要約\n\n本文。\n"
    assert [m.title for m in parse("das2008.md", note).mentions] == [
        "Automatic Extraction of Briefing Templates"
    ]
    assert parse("x.md", "% Just a title\n\n本文。\n").mentions == []


def test_a_jekyll_excerpt_marker_does_not_end_the_metadata():
    note = "# A Paper\n\n<!--more-->\n\n論文 : [arxiv](https://arxiv.org/abs/1111.11111)\n\n本文。\n"
    parsed = parse("a.md", note)
    assert parsed.mentions[0].url == "https://arxiv.org/abs/1111.11111"
    assert "arxiv" not in passages(parsed)


def test_a_dashed_title_is_named_by_its_head():
    note = "---\ntitle: GNN Explainer - A Tool for Post-hoc Explanation of GNNs\n---\n\n"
    note += "## Introduction\n\n* The paper explains predictions.\n"
    catalog = build_catalog(parse("gnn.md", note).mentions)
    assert find_paper("GNN Explainer", catalog) is catalog[0]


def test_a_linked_title_in_a_table_is_its_text_and_the_papers_link():
    note = "## Visual SLAM\n\n| 論文 | 解説 | 年 |\n|---|---|---|\n"
    note += "|[CNN-SLAM](https://arxiv.org/abs/1704.03489) | なし | 2017 |\n"
    note += "|[DeepVO](https://arxiv.org/abs/1709.08429) | なし | 2017 |\n"
    papers = [(m.title, m.url) for m in parse("slam.md", note).mentions]
    assert papers == [
        ("CNN-SLAM", "https://arxiv.org/abs/1704.03489"),
        ("DeepVO", "https://arxiv.org/abs/1709.08429"),
    ]


def test_a_plus_plus_name_is_another_paper():
    def note(title: str, arxiv: str) -> list[PaperMention]:
        text = f"# {title}\n\n論文 : [arxiv](https://arxiv.org/abs/{arxiv})\n\n本文。\n"
        return parse(f"{arxiv}.md", text).mentions

    catalog = build_catalog([
        *note("PointNet: Deep Learning on Point Sets", "1612.00593"),
        *note("PointNet++: Deep Hierarchical Feature Learning", "1706.02413"),
    ])
    assert len(catalog) == 2
    assert find_paper("PointNet++", catalog).arxiv_id == "1706.02413"
    assert find_paper("PointNet", catalog).arxiv_id == "1612.00593"
    assert find_paper("1706.02413", catalog).title.startswith("PointNet++")


def test_a_one_letter_title_gives_way_to_the_file_name():
    note = "## [g](http://arxiv.org/abs/1604.00289)\n\nTLDR; The authors compare deep learning "
    note += "with how people learn.\n"
    paper = parse("building-machines-that-learn.md", note).mentions[0]
    assert paper.title == "building machines that learn" and paper.names == []


def test_a_heading_that_says_something_is_indexed_as_text():
    note = parse(
        "a.md",
        "# Action Anticipation RNN\n\n## どんなもの?\n"
        "##### 行動予測のための RNN を導入した。\n- 特徴マッピング RNN と呼ぶ。\n\n"
        "##### 本提案は、JHMDB-21で18%、UCF101-24で6%改善した。\n\n"
        "## 議論はある?\n##### 省略\n\n## 著者\n##### Yuge Shi, Basura Fernando, Richard Hartley\n"
        "## key-words\n##### CV, Paper, 導入, Implemented, Point_Cloud, Detection\n",
    )
    bodies = {c.body: c.heading for c in note.chunks}
    found = [b for b in bodies if "18%" in b]
    assert found, "an answer written as a heading is not lost"
    assert bodies[found[0]].endswith("どんなもの?"), "under the section it sits in"
    assert not any(b.startswith(("省略", "Yuge", "CV,")) for b in bodies), "labels stay out"
