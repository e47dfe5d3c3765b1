"""What a note's section is for, in both languages: what the paper is, its novelty, method...

Paper notes follow a handful of templates: the 落合フォーマット (どんなもの？ / 先行研究と比べて
どこがすごいの？ / 技術や手法のキモはどこ？ / どうやって有効だと検証した？ / 議論はある？ /
次に読むべき論文は？), English section notes (TL;DR, Problem Statement, Idea, Results), and
free ones (概要, 手法, 実験). A heading is known by its role whatever its numbering, width of
its question mark or HTML dress; a question is known by the role of the section that answers
it ("どんな手法？" → method, "how was it evaluated?" → evaluation).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

Role = Literal[
    "summary", "problem", "novelty", "method", "evaluation", "discussion", "next", "tweet"
]

_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_NUMBERING = re.compile(
    r"^\s*(?:[0-9]+(?:\.[0-9]+)*[.、)]?|[ivx]+\.|[a-z]\.|第[0-9一-九]+[章節])\s*"
)
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_JA_START = 12  # "論文関連リンク", "2.1 提案手法の詳細": the role word comes a little later
_TRIM = re.compile(r"[\s?:.!。*_`#、,()\[\]「」\"'“”]+")

# Checked in this order: the first that matches a heading names its role. Anchored at the
# start: "結果と考察" is about results, "Results of the ablation" too.
_HEADINGS: tuple[tuple[Role, str], ...] = (
    ("tweet", r"140\s*字|ツイート|tweet"),
    ("summary", r"どんなもの|概要|要約|要旨|一言で|ひとことで|[三3]行|サマリ|まとめ|論文の?概要"
     r"|tl\s*;?\s*dr|summary|abstract|overview|gist|in a nutshell|what is it|key takeaways?"),
    ("novelty", r"先行研究と比べて|どこがすごい|何がすごい|新規性|貢献|差分|関連研究|既存研究との"
     r"|contributions?|novelty|what'?s new|key contributions?|related work|prior work"),
    ("problem", r"既存研究では|背景|動機|問題|課題|はじめに|導入|イントロ|目的|モチベーション"
     r"|motivation|background|problem|introduction|intro\b|challenges?|goal|objective"),
    ("method", r"技術や手法|手法|提案|アプローチ|方法|モデル|アーキテクチャ|仕組み"
     r"|アルゴリズム|アイデア"
     r"|キモ|どのようなアプローチ|method|approach|model|architecture|idea|algorithm|proposed"
     r"|how it works|technique|framework|implementation|details?\b|詳細"),
    ("evaluation", r"どうやって有効|有効性|検証|実験|評価|結果|性能|精度|ベンチマーク|データセット"
     r"|experiments?|evaluation|results?|datasets?|benchmarks?|setup|performance|ablation"
     r"|analysis|findings|observations?|baselines?|metrics"),
    ("discussion", r"議論|考察|限界|制約|今後|感想|コメント|所感|疑問|気になる|メモ|追記"
     r"|discussion|limitations?|future|conclusions?|thoughts|comments?|critique|notes?\b"
     r"|remarks|open questions|takeaways|weakness"),
    ("next", r"次に読む|参考|文献|論文情報|リンク|関連論文|references?|reading|links?\b"
     r"|further|see also|bibliography|citations?"),
)
_HEADING_RES = tuple((role, re.compile(pattern, re.I)) for role, pattern in _HEADINGS)

# Question grammar that asks for one role's section (not topic words).
_QUESTIONS: tuple[tuple[Role, str], ...] = (
    ("evaluation", r"どうやって(?:評価|検証)|どう(?:評価|検証)|どのように(?:評価|検証)|有効性"
     r"|どんな実験|何で(?:評価|検証)|どの(?:データセット|ベンチマーク)|実験(?:結果|設定)"
     r"|how (?:was|were|did|do|is|are) .{0,40}?(?:evaluat|validat|test|benchmark|measur)"
     r"|what (?:datasets?|benchmarks?|experiments?|results?)|\bevaluat"),
    ("novelty", r"何がすごい|どこがすごい|新規性|新しさ|先行研究(?:と|との)"
     r"|既存(?:手法|研究)(?:と|との)|what'?s (?:new|novel)|novelty|contribution"
     r"|differ(?:s|ent)? from (?:prior|previous|existing)"),
    ("method", r"どんな(?:手法|方法|仕組み|アプローチ|モデル|アーキテクチャ|アイデア)"
     r"|どうやって(?:実現|解決|学習|動|やって)|どういう(?:仕組み|手法|方法)|手法のキモ|キモ"
     r"|how (?:does|do|did) .{0,40}?(?:work|achieve|solve|train)"
     r"|what (?:method|approach|architecture|technique|idea)|key idea"),
    ("summary", r"どんなもの|どんな論文|概要|要約|一言で|ざっくり|要するに"
     r"|what (?:is|was) .{0,60}? about|tl\s*;?\s*dr|in (?:a nutshell|short)|summar"),
    ("discussion", r"課題|限界|弱点|問題点|議論|考察|欠点"
     r"|limitations?|weakness|drawbacks?|downsides?|open (?:problems?|questions?)"),
    ("problem", r"背景|動機|なぜ.{0,20}必要|何を解決|どんな問題|モチベーション"
     r"|motivation|what problem|why (?:is|was|do|did) .{0,40}?needed"),
    ("next", r"次に読む|関連(?:論文|研究)|参考(?:文献|論文)|what (?:should i|to) read"
     r"|related (?:papers?|work)"),
)
_QUESTION_RES = tuple((role, re.compile(pattern, re.I)) for role, pattern in _QUESTIONS)


def _heading_text(heading: str) -> str:
    """A heading as compared: NFKC (full-width ？ and digits), no HTML, numbering or marks."""
    text = unicodedata.normalize("NFKC", _TAG.sub(" ", heading)).strip()
    text = _NUMBERING.sub("", text.lower())
    return _TRIM.sub(" ", text).strip()


def heading_role(heading: str) -> Role | None:
    """The role a section heading names, or None for a heading of its own ("PointNet++").

    The role named first wins ("結果と考察" is results, "Limitation や問題点" limitations); a
    long heading is a title or a sentence, not a section name."""
    text = _heading_text(heading)
    if _HEADING_RES[0][1].search(text):
        return "tweet"  # "この論文を140字以内のツイートで要約すると？"
    latin = not _JAPANESE.search(text)
    if not text or len(text) > 40 or (latin and len(text.split()) > 5):
        return None
    found = [(m.start(), i) for i, (_, p) in enumerate(_HEADING_RES) if (m := p.search(text))]
    start, index = min(found, default=(len(text), -1))
    if index < 0 or start > (0 if latin else _JA_START):
        return None
    return _HEADING_RES[index][0]


def question_role(question: str) -> Role | None:
    """The section role a question asks for, if its grammar says so."""
    text = unicodedata.normalize("NFKC", question)
    for role, pattern in _QUESTION_RES:
        if pattern.search(text):
            return role
    return None


def section_role(heading: str) -> Role | None:
    """The role of the section a passage sits in (heading path "Title > 4. 実験 > 設定"): the
    first of its headings under the title that names one."""
    parts = heading.split(" > ")
    for part in parts[1:] or parts:
        if role := heading_role(part):
            return role
    return None
