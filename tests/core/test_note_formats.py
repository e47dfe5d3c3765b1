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
