"""Japanese-aware tokens for BM25: SudachiPy normalized forms, function words dropped."""

from __future__ import annotations

import re

from sudachipy import (  # type: ignore[import-untyped]  # no py.typed
    Dictionary,
    PosMatcher,
    SplitMode,
    Tokenizer,
)

# Particles, auxiliaries, symbols and blanks carry no topic; dropping them is worth ~1 pt R@1.
_DROP_POS = ("助詞", "助動詞", "補助記号", "空白")
# Sudachi refuses inputs over ~49 KB; cut long texts at line/sentence ends well below that.
_MAX_INPUT_CHARS = 8_000
_PIECES = re.compile(rf"[^\n。！？]{{1,{_MAX_INPUT_CHARS}}}[\n。！？]*")
# Sudachi tags English words as nouns (and normalizes "the" to "ザ"): drop English function
# words by surface form, as the POS filter does for Japanese ones.
# fmt: off
_EN_STOP = frozenset(
    (
        "a", "about", "above", "after", "again", "all", "am", "an", "and", "any", "are", "as",
        "at", "be", "been", "before", "being", "below", "between", "both", "but", "by", "can",
        "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from",
        "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his",
        "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more",
        "most", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or",
        "other", "our", "ours", "out", "over", "own", "same", "she", "should", "so", "some",
        "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these",
        "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was",
        "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will",
        "with", "would", "you", "your", "yours", "s", "t", "don", "doesn", "isn", "aren",
        "wasn", "weren", "what's", "it's", "that's", "there's", "let's", "i'm", "tell", "show",
        "explain", "please", "describe",
    )
)
# fmt: on
# Questions wrap their topic in request verbs and interrogatives (教えて, 知りたい, なぜ, どんな):
# words a note never says, so as query terms they only make a question look off-topic.
_JA_STOP = frozenset(
    "教える 知る 下さる 呉れる 欲しい 貰う 為る 遣る 有る 居る 成る 出来る つく 思う 言う "
    "何 此れ 其れ 彼れ 何れ 誰 いつ 何処 どう どんな どういう どの 何故 如何 よう".split()
)


_KATAKANA = re.compile(r"^[\u30a0-\u30ff]{3,}ー$")


def _singular(token: str) -> str:
    """English plurals as their singular ("GPUs", "Transformers"): a question and a note rarely
    agree on the number. Sudachi turns ordinary English words into katakana ("focus" →
    フォーカス), so what stays Latin is names and terms, where a final "s" is a plural."""
    if len(token) > 3 and token.isascii() and token.endswith("s") and token[-2] not in "s'":
        return token[:-1]
    if _KATAKANA.match(token):
        return token[:-1]  # トークナイザー and トークナイザ are one word (the long-vowel variant)
    return token


class JapaneseTokenizer:
    """Not thread-safe (Sudachi's tokenizer holds state): build one per worker."""

    version = "sudachi-core-A-norm-v4"

    def __init__(self, dictionary: Dictionary | None = None) -> None:
        # The dictionary is ~75 MB of RSS: tokenizers of one process share it (sibling()).
        self._dictionary = dictionary
        self._loaded: tuple[Tokenizer, PosMatcher] | None = None

    def _load(self) -> tuple[Tokenizer, PosMatcher]:
        if self._loaded is None:
            self._dictionary = self._dictionary or Dictionary(dict="core")
            tokenizer = self._dictionary.tokenizer(
                mode=SplitMode.A, fields={"pos", "normalized_form"}
            )
            dropped = self._dictionary.pos_matcher(lambda pos: pos[0] in _DROP_POS)
            self._loaded = (tokenizer, dropped)
        return self._loaded

    def sibling(self) -> JapaneseTokenizer:
        """Another tokenizer (for another thread) over the same loaded dictionary."""
        self._load()
        return JapaneseTokenizer(self._dictionary)

    def release(self) -> None:
        """Let go of the dictionary (if no sibling shares it); the next call loads it again."""
        self._dictionary, self._loaded = None, None

    def tokenize(self, text: str) -> list[str]:
        tokenizer, dropped = self._load()
        tokens: list[str] = []
        for piece in _PIECES.findall(text) if len(text) > _MAX_INPUT_CHARS else (text,):
            for morpheme in tokenizer.tokenize(piece):
                if dropped(morpheme) or morpheme.surface().lower() in _EN_STOP:
                    continue
                token = _singular(morpheme.normalized_form().strip().lower())
                if token and token not in _JA_STOP:
                    tokens.append(token)
        return tokens
