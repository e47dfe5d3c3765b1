"""Small text helpers shared across the core: language, titles, arXiv ids."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

_HIRAGANA = re.compile(r"[\u3041-\u309f]")
_JA_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")
_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/([0-9]{4}\.[0-9]{4,5})(v\d+)?", re.I)
_BARE_ARXIV = re.compile(r"^(?:arxiv:)?([0-9]{4}\.[0-9]{4,5})(v\d+)?$", re.I)
_NON_WORD = re.compile(r"[^0-9a-z\u3040-\u30ff\u3400-\u9fff]+")
# A sentence ends at 。！？!? (any run of them) or at a period followed by a space or the end.
SENTENCE = re.compile(r".*?(?:[。！？!?]+|\.(?=\s)|$)\s*", re.S)
MD_LINK = re.compile(r"(?<!!)\[(?P<label>[^\]]*)\]\((?P<url>[^)\s]*)[^)]*\)")
_SHORT_NAME = re.compile(r":|\s[-–—]\s")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Underscores inside identifiers (denoised_block, __init__) are not emphasis: keep them.
_EMPHASIS = re.compile(r"\*\*|\*|`|(?<![A-Za-z0-9_])_{1,2}(?=\S)|(?<=\S)_{1,2}(?![A-Za-z0-9_])")


def is_japanese(text: str, threshold: float = 0.5) -> bool:
    """Japanese if it has hiragana (its grammar: "Sentence-BERT とは"), or if most letters
    are kana/kanji; "What does 自己注意 mean?" stays English."""
    if _HIRAGANA.search(text):
        return True
    letters = [ch for ch in text if not ch.isspace() and unicodedata.category(ch)[0] not in "PSN"]
    if not letters:
        return False
    return sum(1 for ch in letters if _JA_CHAR.match(ch)) / len(letters) >= threshold


def language_of(text: str) -> Literal["ja", "en"]:
    """The language to answer in: Japanese if the text is, English otherwise."""
    return "ja" if is_japanese(text) else "en"


def sentences(text: str) -> list[str]:
    """Sentences of ``text`` with their end punctuation, surrounding blanks trimmed."""
    return [s.strip() for s in SENTENCE.findall(text) if s.strip()]


def numbers_in(text: str) -> set[str]:
    """Numbers as written (NFKC: full-width digits count), e.g. {"28.4", "2014", "4"}."""
    return set(_NUMBER.findall(unicodedata.normalize("NFKC", text)))


def arxiv_id(text: str) -> str | None:
    """The arXiv id (without version) in a URL or bare id, if any."""
    match = _ARXIV.search(text) or _BARE_ARXIV.match(text.strip())
    return match.group(1) if match else None


def title_key(title: str) -> str:
    """A comparison key for titles: NFKC, lower case, punctuation and spacing dropped."""
    return _NON_WORD.sub(" ", unicodedata.normalize("NFKC", title).lower()).strip()


def short_name(title: str) -> str | None:
    """The name a title leads with: "NeRF" of "NeRF: Representing Scenes…", "GNN Explainer"
    of "GNN Explainer - A Tool for Post-hoc Explanation…"; None if it has no such head."""
    head = _SHORT_NAME.split(title, maxsplit=1)[0].strip()
    return head if head and head != title.strip() else None


def link_text(text: str) -> str:
    """Markdown links as their text: "[arxiv](https://…)" → "arxiv" (images left alone)."""
    return MD_LINK.sub(r"\g<label>", text)


def strip_emphasis(text: str) -> str:
    """Remove Markdown emphasis markers and surrounding spaces from a cell or heading."""
    return _EMPHASIS.sub("", text).strip()
