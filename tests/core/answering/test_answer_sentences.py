"""The learned answer-sentence scorer: its weights ship, are current, load once, and choose.

The weights file is checked against what its fit saw: the feature names, and the feature
rows a few JSQuAD questions made (recomputed here with the real tokenizer). A change to the
features without a refit (bench/fit_answer_sentences.py) fails here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.core.answering.answer_sentences import (
    FEATURES,
    WEIGHTS_FILE,
    Asked,
    SentenceScorer,
    packaged_scorer,
    unit_features,
)
from bot.core.answering.answer_types import asks_for, gives, refers_back
from bot.core.answering.quoting import extractive_answer
from bot.core.answering.sentences import Unit
from bot.core.models import Chunk
from bot.index.tokenizer import JapaneseTokenizer


def shipped() -> dict:
    return json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))


def test_the_weights_ship_and_load_once_with_their_jsquad_report():
    assert WEIGHTS_FILE.is_file(), f"missing {WEIGHTS_FILE}: run bench/fit_answer_sentences.py"
    assert packaged_scorer() is packaged_scorer(), "read once per process"
    assert packaged_scorer().named() == shipped()["weights"]
    report = shipped()["jsquad"]["held_out_at_rank_1"]
    assert report["shipped"] > report["first_sentence"]
    assert report["learned"] > report["hand_set"], "the fit is a fit: it wins where it learned"


def test_the_weights_were_fitted_on_the_features_computed_today():
    data = shipped()
    assert tuple(data["features"]) == FEATURES, "features renamed since the fit: refit"
    tokenize = JapaneseTokenizer().tokenize
    assert len(data["probes"]) >= 3
    for probe in data["probes"]:
        sentences = list(probe["closeness"])
        asked = Asked(probe["question"], probe["wanted"], tokenize, probe["closeness"])
        rows = unit_features(asked, [Unit(s) for s in sentences], sentences)
        flat = [x for row in rows for x in row]
        assert flat == pytest.approx([x for row in probe["rows"] for x in row], abs=1e-5), (
            "the features changed since the weights were fitted: "
            "run bench/fit_answer_sentences.py"
        )


def test_a_missing_or_stale_weights_file_is_named_in_the_error(tmp_path: Path):
    with pytest.raises(RuntimeError, match=r"unreadable.*nowhere\.json"):
        SentenceScorer.from_file(tmp_path / "nowhere.json")
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps({**shipped(), "features": ["words", "dense"]}))
    with pytest.raises(RuntimeError, match="stale"):
        SentenceScorer.from_file(stale)


def test_question_and_answer_types_in_both_languages():
    assert asks_for("学習に何枚のGPUを使った？") >= {"quantity", "tool"}
    assert asks_for("How many layers does it have?") == {"quantity"}
    assert "date" in asks_for("いつ公開された？") and "reason" in asks_for("なぜ効くの？")
    assert "quantity" in gives("A100 を 8 枚 使った。") and "tool" in gives("A100 を使った。")
    assert "date" in gives("2023年に公開された。") and "quantity" not in gives("手法を提案した。")
    assert refers_back("これにより精度が上がった。") and refers_back("This improves recall.")
    assert not refers_back("本研究では新しい手法を提案する。")


def passage(body: str) -> Chunk:
    return Chunk("c1", "p.md", "P > 4. 実験", 1, 9, body, paper="P")


def test_the_answering_sentence_leads_and_brings_the_one_it_points_back_to():
    body = (
        "本研究では、新しい学習法を提案することで、上記の課題を解決しようとしました。\n"
        "学習データは gpt-4o-mini で 1 万件を生成した。\n"
        "これにより人手の注釈は不要になった。"
    )
    question = "学習データはどうやって用意した？"
    closeness = {
        "本研究では、新しい学習法を提案することで、上記の課題を解決しようとしました。": 0.84,
        "学習データは gpt-4o-mini で 1 万件を生成した。": 0.86,
        "これにより人手の注釈は不要になった。": 0.83,
    }
    text, _ = extractive_answer(
        question, [passage(body)], lang="ja", tokenize=JapaneseTokenizer().tokenize,
        intro="extractive_intro", closeness=closeness,
    )
    bullet = text.splitlines()[1]
    quoted = bullet.split("**: ", 1)[1]
    assert quoted.startswith("学習データは gpt-4o-mini"), "the answering sentence first"
    if "これにより" in quoted:  # chosen too: the sentence it points back to comes before it
        assert quoted.index("gpt-4o-mini") < quoted.index("これにより")


def test_a_sentence_that_points_back_is_quoted_after_the_one_it_points_to():
    body = "背景の説明が続く。\n提案手法では検索結果を並べ替える。\nこれにより精度が 5% 向上した。"
    closeness = {"背景の説明が続く。": 0.80, "提案手法では検索結果を並べ替える。": 0.82,
                 "これにより精度が 5% 向上した。": 0.88}
    text, _ = extractive_answer(
        "精度はどれくらい上がった？", [passage(body)], lang="ja",
        tokenize=JapaneseTokenizer().tokenize, intro="extractive_intro", closeness=closeness,
    )
    quoted = text.splitlines()[1].split("**: ", 1)[1]
    assert quoted.startswith("提案手法では検索結果を並べ替える。 これにより精度が 5% 向上した。")
