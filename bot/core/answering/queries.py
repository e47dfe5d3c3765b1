"""From a chat message to search queries: follow-ups made standalone, rewrites parsed."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.answers import Turn
from bot.core.llm import Message

_SHORT_FOLLOW_UP = 25  # characters; "詳しく教えて", "why?", "and the results?"
_ANAPHORA = re.compile(
    r"それ|その|これ|この|あれ|あの|そこ|他に|ほかに|もっと|詳しく|続き|前者|後者"
    r"|\b(?:it|its|this|that|these|those|they|them|more|else|also|above|previous)\b",
    re.I,
)
_LINE = re.compile(r"^[ \t]*(?P<key>[QK])[ \t]*[:：][ \t]*(?P<value>.+?)[ \t]*$", re.M)
_PLACEHOLDER = re.compile(r"^<.*>$|<[^<>]*(?:question|keywords?|質問|キーワード)[^<>]*>", re.I)
# Words of the rewrite prompt's own instructions: a reply made of them echoes the prompt.
_ECHO = re.compile(
    r"standalone question|search keywords|separated by spaces|output exactly|"
    r"単独で意味|それだけで意味が通る|検索キーワード|ノート検索用|スペース区切り|空白区切り",
    re.I,
)
# "<description of a paper>(の論文|やつ|手法…)(で)、<what is asked>": the last such comma.
_DESCRIBED = (
    re.compile(
        r"^.{4,}(?:論文|やつ|手法|モデル|研究|ネットワーク|仕組み|方法|技術|分類器|アルゴリズム"
        r"|データセット|ベンチマーク|フレームワーク|アーキテクチャ|もの|話)"
        # "で、", "があったと思うんだけど、": kana and verbs of saying, not more of the question
        r"[\u3041-\u309fー思言聞見読]{0,16}[、,]\s*(?P<ask>.+)$"
    ),
    re.compile(r"^(?:in|for|about|regarding|with|from)\s[^,?]{3,100},\s*(?P<ask>.+)$", re.I),
)
_MIN_ASK = 6  # characters: "何？" alone asks nothing searchable
_HISTORY_CHARS = 500  # per turn: enough for the gist of a long earlier answer


def asking_clause(question: str) -> str | None:
    """What a question asks once it has said which paper: "…を出すやつ、TitanX だとフレーム
    レートは？" → "TitanX だとフレームレートは？"; "In the GNN paper, what …?" → "what …?".
    None when the question does not open with a description of its paper."""
    for pattern in _DESCRIBED:
        if (m := pattern.search(question)) and len(m["ask"].strip()) >= _MIN_ASK:
            return m["ask"].strip()
    return None


def is_follow_up(question: str) -> bool:
    return len(question) <= _SHORT_FOLLOW_UP or bool(_ANAPHORA.search(question))


def standalone(question: str, history: Sequence[Turn]) -> str:
    """Without a model: a follow-up borrows the words of the previous question."""
    previous = next((t.text for t in reversed(history) if t.role == "user"), None)
    if previous and is_follow_up(question):
        return f"{previous} {question}"
    return question


def parse_rewrite(reply: str) -> tuple[str | None, str | None]:
    """(standalone question, keywords) from the rewrite prompt's "Q: …" / "K: …" lines.

    Weak models echo the prompt: a placeholder ("<the standalone question…>"), an empty line
    or the instructions themselves is no rewrite (None)."""
    found = {m["key"]: m["value"] for m in _LINE.finditer(reply)}
    return _usable(found.get("Q")), _usable(found.get("K"))


def _usable(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip().strip("\"'`")
    if not value or _PLACEHOLDER.search(value) or _ECHO.search(value):
        return None
    return value


def recent(history: Sequence[Turn], turns: int) -> list[Turn]:
    return list(history)[-turns:] if turns > 0 else []


def history_text(history: Sequence[Turn]) -> str:
    return "\n".join(f"{t.role}: {_clip(t.text)}" for t in history)


def history_messages(history: Sequence[Turn]) -> list[Message]:
    return [{"role": t.role, "content": _clip(t.text)} for t in history]


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _HISTORY_CHARS else text[: _HISTORY_CHARS - 1] + "…"
