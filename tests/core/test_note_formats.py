"""Notes of any researcher (tests/data/formats): each format's paper, its fields and summary,
and what of the note is metadata (never a passage) rather than prose."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.catalog import build_catalog
from bot.core.models import PaperMention
from bot.core.notes import ChunkingOptions, ParsedNote, parse_note
from bot.core.summaries import find_paper

ZOO = Path(__file__).resolve().parents[1] / "data" / "formats"


def parse(relative: str, text: str | None = None) -> ParsedNote:
    body = text if text is not None else (ZOO / relative).read_text(encoding="utf-8")
    return parse_note(relative, body, options=ChunkingOptions(), content_hash="0" * 16)


def only_paper(relative: str) -> PaperMention:
    mentions = parse(relative).mentions
    assert len(mentions) == 1, [m.title for m in mentions]
    return mentions[0]


def passages(note: ParsedNote) -> str:
    return "\n".join(chunk.body for chunk in note.chunks)


@pytest.mark.parametrize(
    ("note", "title", "url"),
    [
        ("jekyll/2019-05-25-Focal-Loss-for-Dense-Object-Detection.md",
         "Focal Loss for Dense Object Detection", "https://arxiv.org/abs/1708.02002"),
        ("hugo/deep-residual-learning.md",
         "Deep Residual Learning for Image Recognition", "https://arxiv.org/abs/1512.03385"),
        ("obsidian/Attention Is All You Need.md",
         "Attention Is All You Need", "https://arxiv.org/abs/1706.03762"),
        ("pandoc/BERT.md",
         "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
         "https://arxiv.org/abs/1810.04805"),
        ("heading-metadata/PointNet.md",
         "PointNet: Deep Learning on Point Sets for 3D Classification and Segmentation",
         "https://arxiv.org/abs/1612.00593"),
        ("english/model-agnostic-meta-learning.md",
         "Model-Agnostic Meta-Learning for Fast Adaptation of Deep Networks",
         "https://arxiv.org/abs/1703.03400"),
        ("filename/2006.11239.md",
         "Denoising Diffusion Probabilistic Models", "https://arxiv.org/abs/2006.11239"),
        ("filename/2021-06-17_LoRA_Low-Rank_Adaptation_of_Large_Language_Models.md",
         "LoRA Low-Rank Adaptation of Large Language Models", None),
        ("notion/Dropout A Simple Way to Prevent Neural Networks from Overfitting 3f2a9c.md",
         "Dropout: A Simple Way to Prevent Neural Networks from Overfitting",
         "https://jmlr.org/papers/v15/srivastava14a.html"),
        ("bear/Batch Normalization.md",
         "Batch Normalization: Accelerating Deep Network Training by Reducing Internal "
         "Covariate Shift", None),
        ("link-heading/seq2seq.md",
         "Sequence to Sequence Learning with Neural Networks", "http://arxiv.org/abs/1409.3215"),
    ],
)
def test_a_one_paper_note_is_that_paper_whatever_its_format(note, title, url):
    paper = only_paper(note)
    assert (paper.title, paper.url) == (title, url)
    assert paper.summary, "a summary from the note's content"


def test_every_passage_of_a_one_paper_note_is_under_its_title():
    note = parse("jekyll/2019-05-25-Focal-Loss-for-Dense-Object-Detection.md")
    assert {c.paper for c in note.chunks} == {"Focal Loss for Dense Object Detection"}
    title = "Focal Loss for Dense Object Detection"
    assert all(c.heading.startswith(f"{title} > ") for c in note.chunks)


@pytest.mark.parametrize(
    ("note", "absent"),
    [
        ("jekyll/2019-05-25-Focal-Loss-for-Dense-Object-Detection.md", ["layout:", "categories:"]),
        ("hugo/deep-residual-learning.md", ["+++", "aliases ="]),
        ("obsidian/Attention Is All You Need.md", ["rating::", "#paper", "aliases:"]),
        ("pandoc/BERT.md", ["% [1810.04805]", "\\def", "自然言語処理 事前学習"]),
        ("heading-metadata/PointNet.md",
         ["元の論文の公開ページ", "Github Issues", "Cite:", "Note:"]),
        ("notion/Dropout A Simple Way to Prevent Neural Networks from Overfitting 3f2a9c.md",
         ["Created:", "Status: Read"]),
        ("bear/Batch Normalization.md", ["#optimization"]),
    ],
)
def test_metadata_never_becomes_a_passage(note, absent):
    text = passages(parse(note))
    assert text
    for fragment in absent:
        assert fragment not in text


def test_metadata_lines_keep_the_line_numbers_of_the_prose():
    note = parse("heading-metadata/PointNet.md")
    lines = (ZOO / "heading-metadata/PointNet.md").read_text(encoding="utf-8").split("\n")
    first = note.chunks[0]
    assert lines[first.line_start - 1].startswith("点群を順序に依らない")


def test_fields_from_front_matter_title_blocks_and_property_lines():
    resnet = only_paper("hugo/deep-residual-learning.md")
    assert (resnet.venue, resnet.year) == ("CVPR", 2016)
    assert "ResNet" in resnet.names and "cnn" in resnet.tags
    transformer = only_paper("obsidian/Attention Is All You Need.md")
    assert {"Transformer", "Vaswani 2017"} <= set(transformer.names)
    assert {"nlp", "paper", "transformer"} <= set(transformer.tags)
    assert "[[" not in (transformer.summary or "")
    bert = only_paper("pandoc/BERT.md")
    assert bert.tags == ["自然言語処理", "事前学習"] and bert.year == 2018
    dropout = only_paper(
        "notion/Dropout A Simple Way to Prevent Neural Networks from Overfitting 3f2a9c.md"
    )
    assert dropout.tags == ["Regularization", "Deep Learning"]
    focal = only_paper("jekyll/2019-05-25-Focal-Loss-for-Dense-Object-Detection.md")
    assert (focal.venue, focal.year) == ("ICCV", 2017), "a venue tag"


def test_a_file_named_after_the_paper_names_it():
    assert "BERT" in only_paper("pandoc/BERT.md").names
    assert "seq2seq" in only_paper("link-heading/seq2seq.md").names
    notion = only_paper(
        "notion/Dropout A Simple Way to Prevent Neural Networks from Overfitting 3f2a9c.md"
    )
    assert notion.names == [], "the title again, with Notion's export id: no other name"


@pytest.mark.parametrize(
    ("note", "starts"),
    [
        ("jekyll/2019-05-25-Focal-Loss-for-Dense-Object-Detection.md", "一段階の物体検出器で"),
        ("hugo/deep-residual-learning.md", "Very deep networks train well"),  # TL;DR section
        ("link-heading/seq2seq.md", "The authors train a 4-layer LSTM"),  # "TLDR;" paragraph
        ("heading-metadata/PointNet.md", "点群を順序に依らない"),  # どんなもの?, not its links
        ("pandoc/BERT.md", "マスクした単語を"),  # first prose, not the macros or keywords
        ("bear/Batch Normalization.md", "Normalize each layer's inputs"),
    ],
)
def test_summaries_come_from_content(note, starts):
    assert (only_paper(note).summary or "").startswith(starts)


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


def test_notes_of_many_papers_keep_their_papers():
    titles = [m.title for m in parse("multi/reading-list.md").mentions]
    assert titles == [
        "Vision Transformer (An Image is Worth 16x16 Words)",
        "Masked Autoencoders Are Scalable Vision Learners",
        "CLIP (Learning Transferable Visual Models From Natural Language Supervision)",
    ]


@pytest.mark.parametrize("note", ["not-papers/lab meeting.md", "not-papers/Kernel.md"])
def test_notes_about_no_paper_yield_none(note):
    parsed = parse(note)
    assert parsed.mentions == []
    assert parsed.chunks, "their prose is still searchable"


def test_a_front_matter_title_heads_every_passage_of_a_note_about_no_paper():
    note = parse("not-papers/lab meeting.md")
    assert all(c.heading.startswith("Lab meeting 2024-05-01 > ") for c in note.chunks)


@pytest.mark.parametrize(
    ("note", "warning"),
    [
        ("malformed/unclosed front matter.md", "never closed"),
        ("malformed/bad yaml.md", "not valid"),
    ],
)
def test_malformed_front_matter_is_read_as_text_with_one_warning(note, warning):
    parsed = parse(note)
    assert len(parsed.warnings) == 1 and warning in parsed.warnings[0]
    assert "read as text" in parsed.warnings[0]
    assert "GPT-2 has 1.5B parameters" in passages(parsed) or "Adam keeps" in passages(parsed)


def test_a_horizontal_rule_pair_is_not_front_matter():
    parsed = parse("a.md", "---\nJust a paragraph between rules.\n---\n\nMore text.\n")
    assert parsed.warnings == []
    assert "Just a paragraph" in "\n".join(chunk.text for chunk in parsed.chunks)


def test_summary_finds_each_paper_by_title_other_name_or_arxiv_id():
    mentions = [
        m for path in sorted(ZOO.rglob("*.md")) if path.name != "README.md"
        for m in parse(str(path.relative_to(ZOO))).mentions
    ]
    catalog = build_catalog(mentions)
    by_title = {p.title: p for p in catalog}
    assert find_paper("SimSiam", catalog) is None
    assert find_paper("BERT", catalog) is by_title[
        "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
    ]
    assert find_paper("ResNet", catalog) is by_title["Deep Residual Learning for Image Recognition"]
    assert find_paper("2006.11239", catalog) is by_title["Denoising Diffusion Probabilistic Models"]
    assert find_paper("Focal Loss for Dense Object Detection", catalog) is by_title[
        "Focal Loss for Dense Object Detection"
    ]


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
