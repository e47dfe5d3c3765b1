"""What a question asks for (a number, a date, a name, a tool, a reason, a method) and what
a sentence could give (numbers with units, dates, names, Latin terms, causes, means).

The answer-sentence scorer (bot.core.answering.answer_sentences) learns how much each match
of the two is worth; these patterns only say what is there, in Japanese and English.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from typing import Literal

Asks = Literal["quantity", "date", "name", "tool", "reason", "means"]
ASKS: tuple[Asks, ...] = ("quantity", "date", "name", "tool", "reason", "means")

_QUESTION: dict[Asks, re.Pattern[str]] = {
    "quantity": re.compile(
        r"何\s*(?:%|パーセント|割|倍|個|件|人|枚|層|回|次元|語|時間|日間|秒|分|点|ポイント|台|種類?|つ|本|万|億)"
        r"|何[\u30a1-\u30fa\u30fc]+(?![をがはで])|どこまで|どれ(?:くらい|ぐらい|だけ)|どの(?:くらい|ぐらい|程度)|いくつ|いくら|何歳|規模|割合|比率|精度|スコア"
        r"|how (?:many|much|long|large|big|fast|far|often)|what (?:percentage|fraction|proportion)"
        r"|number of|size of|\bscore|accuracy",
        re.I,
    ),
    "date": re.compile(r"いつ|何年|何月|何日|何世紀|年代|時期|when\b|what year|which year", re.I),
    "name": re.compile(
        r"誰|だれ|どなた|何という|なんという|名前|名称|何と呼|どの(?!くらい|ぐらい|程度|よう)|どこ"
        r"|\bwho\b|\bwhom\b|\bwhose\b|\bwhich\b|\bwhere\b|\bname",
        re.I,
    ),
    "tool": re.compile(
        r"何を(?:使|用)|何が(?:使|用)|何で|どんな(?:モデル|データ|手法|ツール|GPU|ハード)|使(?:った|用)"
        r"|用いた|ベース|\buse[sd]?\b|\busing\b|model|dataset|backbone|GPU",
        re.I,
    ),
    "reason": re.compile(r"なぜ|何故|どうして|理由|原因|なんで|why\b|reason|cause", re.I),
    "means": re.compile(
        r"どうやって|どのように|どうして|どう(?:する|した|やる|なる)|方法|手順|仕組み|やり方"
        r"|\bhow (?:do|does|did|is|are|was|were|to|can)\b|what method|approach",
        re.I,
    ),
}
_NUMBER_UNIT = re.compile(
    r"\d(?:[\d,.]*\d)?\s*(?:%|％|倍|個|件|人|枚|層|回|次元|語|時間|日|秒|分|点|ポイント|台|種類?|つ|本"
    r"|万|億|千|百|[kKMBGT]\b|GB|MB|TB|x\b|×|tokens?|steps?|epochs?|GPUs?|hours?|days?|pt)",
)
_DATE = re.compile(r"\d{1,4}\s*年|\d{1,2}\s*月|\d{1,2}\s*日|(?<!\d)(?:1[5-9]|20)\d\d(?!\d)"
                   r"|明治|大正|昭和|平成|令和|世紀|時代")
_NAME = re.compile(r"[A-Z][A-Za-z0-9]*[A-Z0-9-][A-Za-z0-9-]*|[A-Z]{2,}|[\u30a1-\u30fa\u30fc]{4,}"
                   r"|「[^」]{2,}」")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9.+-]{2,}")
_CAUSE = re.compile(r"ため|ので|から[、。]|により|によって|理由|原因|おかげ|because|due to|since"
                    r"|so that|in order to", re.I)
_MEANS = re.compile(r"ことで|ことにより|によって|を用い|を使|を利用|を通じ|手法|方法|手順|ステップ"
                    r"|\bby\b|\busing\b|\bvia\b|\bthrough\b", re.I)
# A sentence that opens by pointing back ("これにより", "This") needs the one before it.
REFERS_BACK = re.compile(
    r"^(?:これ|それ|この|その|こうした|そうした|このよう|そのため|したがって|一方|また、|さらに"
    r"|(?:This|These|That|Those|It|They|Thus|Hence|Therefore)\b)"
)

_GIVES: dict[Asks, re.Pattern[str]] = {
    "quantity": _NUMBER_UNIT,
    "date": _DATE,
    "name": _NAME,
    "tool": _LATIN,
    "reason": _CAUSE,
    "means": _MEANS,
}


_INTERROGATIVE = re.compile(
    r"何|なに|なん|どこ|どれ|どの|どう|どんな|誰|だれ|いつ|いくつ|いくら|なぜ|どちら|どっち"
)
_ASKING_END = re.compile(r"(?:って|とは|は|が|を|の)?(?:[?？。、\s]|です|ですか|か)*$")
_CONTENT = re.compile(r"[\u3400-\u9fff\u30a0-\u30ffA-Za-z0-9]{2}")


def asked_thing(question: str) -> str:
    """The words just before the question's interrogative ("李朝大越国の都は" of "…の都はどこか"),
    or before its end ("本社の所在地" of "…の本社の所在地は？"): what the answer is about."""
    match = _INTERROGATIVE.search(question)
    head = question[: match.start()] if match else _ASKING_END.sub("", question)
    return head[-12:]


def bigrams(text: str) -> set[str]:
    """Character pairs of kanji, katakana and Latin runs: words the tokenizer may cut apart."""
    return {text[i : i + 2] for i in range(len(text) - 1) if _CONTENT.fullmatch(text[i : i + 2])}


def asks_for(question: str) -> frozenset[Asks]:
    """Every kind of answer the question's wording asks for (often none, sometimes two)."""
    text = unicodedata.normalize("NFKC", question)
    return frozenset(kind for kind, pattern in _QUESTION.items() if pattern.search(text))


def gives(
    sentence: str, question: str = "", kinds: Collection[Asks] = ASKS
) -> frozenset[Asks]:
    """Which of ``kinds`` of answer the sentence holds that the question does not already
    say (the year a question names is no answer to it)."""
    if not kinds:
        return frozenset()
    text = unicodedata.normalize("NFKC", sentence)
    said = unicodedata.normalize("NFKC", question).lower()
    return frozenset(
        kind for kind in kinds
        if any(m.group().lower() not in said for m in _GIVES[kind].finditer(text))
    )


def refers_back(sentence: str) -> bool:
    return bool(REFERS_BACK.match(sentence.lstrip("-*• ")))
