"""The model's [n] citations and links are checked against the passages it was given."""

from __future__ import annotations

from bot.core.answering.citations import check_citations
from bot.core.models import Chunk

ARXIV = "http://arxiv.org/abs/1706.03762v7"


def passages(count: int = 4) -> list[Chunk]:
    return [
        Chunk(f"c{i}", f"n{i}.md", "H", i, i + 1, f"passage {i} BLEU 28.4", "Attention", ARXIV)
        for i in range(1, count + 1)
    ]


def test_a_citation_beyond_the_passages_is_removed():
    checked = check_citations("自己注意で並列化できる [1][9]。", passages(4))
    assert checked.text == "自己注意で並列化できる [1]。"
    assert checked.cited == [1] and checked.removed_refs == [9]


def test_citations_are_renumbered_in_order_of_first_use():
    checked = check_citations("A [3]. B [1, 3]. C [４].", passages(4))
    assert checked.text == "A [1]. B [2][1]. C [3]."
    assert checked.cited == [3, 1, 4]


def test_an_answer_citing_only_invalid_passages_keeps_no_marker():
    checked = check_citations("Made up [7]. Also [0].", passages(4))
    assert checked.text == "Made up. Also."
    assert checked.cited == [] and sorted(checked.removed_refs) == [0, 7]


def test_links_not_in_the_passages_are_not_presented():
    text = (
        "See [the paper](https://arxiv.org/abs/1706.03762) and "
        "[a fake](https://arxiv.org/abs/2401.00001) (arXiv:2401.00001), "
        "or https://evil.example/steal?d=secret . [2]"
    )
    checked = check_citations(text, passages(4))
    assert "https://arxiv.org/abs/1706.03762" in checked.text, "the passage's own paper stays"
    assert "2401.00001" not in checked.text and "evil.example" not in checked.text
    assert "a fake" in checked.text, "a rejected Markdown link keeps its words"
    assert "()" not in checked.text
    assert set(checked.removed_links) == {
        "https://arxiv.org/abs/2401.00001",
        "arXiv:2401.00001",
        "https://evil.example/steal?d=secret",
    }


def test_a_bare_arxiv_id_from_the_passages_is_kept():
    checked = check_citations("元論文は 1706.03762 です [1]。", passages(1))
    assert checked.text == "元論文は 1706.03762 です [1]。" and checked.clean


def test_code_and_numbers_are_left_alone():
    text = "Call `f()` then `g(x)`; BLEU 28.4 [1].\n\n```python\nprint(a , b)\n```"
    checked = check_citations(text, passages(1))
    assert checked.text == text and checked.clean
