"""140-character shortening: whole sentences, whole hashtags, never a cut word or URL."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.shorten import ELLIPSIS, shorten, tidy

TAGS = " #VideoLLM #RetrievalAugmentedGeneration"


def test_short_text_is_returned_tidied():
    assert shorten("  短い  要約。\n\n https://arxiv.org/abs/1 ") == "短い 要約。"


def test_sentences_are_kept_whole_then_hashtags_that_fit():
    body = "一文目で手法を説明する。" * 5 + "二文目は結果を述べる！" * 4
    text = body + TAGS
    short = shorten(text, 140)
    assert len(short) <= 140
    assert short.endswith(" #VideoLLM"), short
    sentences = re.findall(r"[^。！]+[。！]", short.replace(" #VideoLLM", ""))
    assert "".join(sentences) == short.replace(" #VideoLLM", "")


def test_an_overlong_first_sentence_is_cut_at_a_late_clause_with_an_ellipsis():
    text = "とても長い説明" * 10 + "、さらに続く説明" * 20 + "。"
    short = shorten(text, 140)
    assert short.endswith("説明" + ELLIPSIS) and len(short) <= 140
    assert text.startswith(short.removesuffix(ELLIPSIS) + "、")


def test_without_a_clause_a_japanese_sentence_is_cut_at_the_limit():
    text = "区切りのない文" * 40
    short = shorten(text, 140)
    assert len(short) == 140 and text.startswith(short.removesuffix(ELLIPSIS))


def test_english_is_cut_between_words():
    text = "Transformers replace recurrence with attention " * 10
    short = shorten(text, 60)
    assert len(short) <= 60 and short.endswith(ELLIPSIS)
    assert text.startswith(short[:-1].rstrip())
    assert short[:-1].rstrip().split()[-1] in text.split()


TOKEN = re.compile(r"[A-Za-z0-9#][A-Za-z0-9#.\-]*")
WORDS = st.sampled_from(
    ["自己注意", "で", "翻訳", "。", "、", "！", " ", "GPT-4o", "BLEU", "28.4", "#NLP", "#深層学習",
     "https://arxiv.org/abs/1706.03762", "Transformer", "は", "速い", "\n", "🚀"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=120), st.integers(min_value=20, max_value=200))
def test_any_text_fits_and_no_token_is_cut(words, limit):
    text = "".join(words)
    short = shorten(text, limit)
    assert len(short) <= limit
    assert "http" not in short, "URLs are dropped, never cut"
    whole = set(TOKEN.findall(tidy(text)))  # URLs go first: the link has its own line
    for token in TOKEN.findall(short.removesuffix(ELLIPSIS)):
        assert token in whole, f"{token!r} is a cut fragment of a word, number or tag"
    if text.strip() and not re.fullmatch(r"(\s|https?://\S+)*", text):
        assert short, "something always remains"


def test_links_survive_excerpts_and_leave_summaries_cleanly():
    from bot.core.shorten import shorten, tidy

    md = "[View Paper](http://arxiv.org/abs/2503.09573v1) を参照"
    paren = "プロジェクトページ (https://m-arriola.com/bd3lms/) に詳細があります。"
    bare = "詳細は https://example.org/a。次の文です。"
    assert shorten(md, 200, keep_links=True) == md
    assert shorten(paren, 200, keep_links=True) == paren, "the ) stays outside the URL"
    assert shorten(bare, 200, keep_links=True) == bare, "the 。 stays outside the URL"
    assert tidy(md) == "View Paper を参照"
    assert tidy(paren) == "プロジェクトページ に詳細があります。"
    assert tidy(bare) == "詳細は 。次の文です。"
