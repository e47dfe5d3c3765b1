"""Japanese-aware tokens for BM25: SudachiPy normalized forms, function words dropped."""

from __future__ import annotations

import re

from sudachipy import Dictionary, SplitMode

# Particles, auxiliaries, symbols and blanks carry no topic; dropping them is worth ~1 pt R@1.
_DROP_POS = ("助詞", "助動詞", "補助記号", "空白")
# Sudachi refuses inputs over ~49 KB; cut long texts at line/sentence ends well below that.
_MAX_INPUT_CHARS = 8_000
_PIECES = re.compile(rf"[^\n。！？]{{1,{_MAX_INPUT_CHARS}}}[\n。！？]*")


class JapaneseTokenizer:
    """Not thread-safe (Sudachi's tokenizer holds state): build one per worker."""

    version = "sudachi-core-A-norm-v1"

    def __init__(self) -> None:
        dictionary = Dictionary(dict="core")
        self._tokenizer = dictionary.tokenizer(mode=SplitMode.A, fields={"pos", "normalized_form"})
        self._dropped = dictionary.pos_matcher(lambda pos: pos[0] in _DROP_POS)

    def tokenize(self, text: str) -> list[str]:
        tokens: list[str] = []
        for piece in _PIECES.findall(text) if len(text) > _MAX_INPUT_CHARS else (text,):
            for morpheme in self._tokenizer.tokenize(piece):
                if self._dropped(morpheme):
                    continue
                token = morpheme.normalized_form().strip().lower()
                if token:
                    tokens.append(token)
        return tokens
