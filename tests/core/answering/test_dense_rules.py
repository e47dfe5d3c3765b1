"""The answering rules that read closeness in meaning (pure parts, with given cosines).

Each test fails with its rule switched off: sentences compete across passages, closeness
picks the sentence words miss, the model's context keeps the best sentences of any passage,
and the "not found" model reads how near the notes come.
"""

from __future__ import annotations

from bot.core.answering import quoting
from bot.core.answering.answer_sentences import Asked
from bot.core.answering.context import estimate_tokens, numbered_context
from bot.core.answering.quoting import choose_quotes, extractive_answer
from bot.core.answering.refusal import answer_score, dense_features, should_answer, unseen_share
from bot.core.models import Chunk


def passage(n: int, body: str, heading: str = "P > 3. 結果") -> Chunk:
    return Chunk(f"c{n}", "p.md", heading, n * 10, n * 10 + 5, body, paper="P")


def words(text: str) -> list[str]:
    return text.lower().replace("。", " ").replace("、", " ").split()


FILLER = [passage(n, f"この論文は 手法 {n} を 提案した。 背景 {n} が 続く。") for n in range(3)]
ANSWER = passage(3, "学習 は 単一 の L40s GPU で 行った。")


def test_the_sentence_that_answers_is_quoted_even_from_the_fourth_passage():
    asked = Asked("どの GPU を 使った？", {"gpu": 3.0, "手法": 0.1}, words)
    quotes = choose_quotes([*FILLER, ANSWER], asked)
    assert any("L40s" in text for q in quotes for text in q.units.values())
    assert len({q.chunk.id for q in quotes}) <= quoting.MAX_PASSAGES


def test_an_english_question_quotes_the_japanese_sentence_closest_in_meaning():
    fillers = [f"背景 {n} の 説明 が 続く。" for n in range(7)]
    answer = "すべて の 実験 で 単一 の L40s 8 枚 を 使用 した。"
    closeness = {**dict.fromkeys(fillers, 0.80), answer: 0.86}
    # "Which GPU was used?" shares no word with the notes: only closeness can choose.
    text, _ = extractive_answer("Which GPU was used?", [passage(0, "\n".join([*fillers, answer]))],
                                lang="en", tokenize=words, intro="extractive_intro",
                                weights={"which": 1.0, "gpu": 1.0, "used": 1.0},
                                closeness=closeness)
    quoted = text.splitlines()[1]
    assert "L40s" in quoted, "seven sentences as far from the question do not crowd it out"


def test_the_models_context_keeps_the_answering_sentence_of_a_low_passage_within_budget():
    long = "長い 説明 の 文 です。" * 12
    passages = [passage(n, "\n".join([long] * 3)) for n in range(4)]
    passages.append(passage(4, f"{long}\n学習率 は 5e-4 で ある。"))
    asked = Asked("学習率 は？", {"学習率": 5.0}, words, {"学習率 は 5e-4 で ある。": 0.9})
    context = numbered_context(passages, budget=300, asked=asked)
    assert "5e-4" in context.text
    block = next(b for b in context.text.split("\n\n") if "5e-4" in b)
    n = int(block[1 : block.index("]")])
    assert context.passages[n - 1] is passages[4], "[n] is the passage shown as [n]"
    assert context.tokens == estimate_tokens(context.text) <= 300 + 40


def test_not_found_reads_how_near_the_notes_come_in_each_language():
    near = dense_features([0.90], [0.91, *[0.84] * 99])
    far = dense_features([0.81], [0.82, *[0.81] * 99])
    base = {"relevance": 0.3, "unknown_name": 0.0, "name_missing": 0.0, "focus": 1.0}
    assert should_answer({**base, **near}) and not should_answer({**base, **far})
    english = {**base, "relevance": 0.15, "en": 1.0, "unseen": 0.2}
    assert should_answer({**english, **near}) and not should_answer({**english, **far})
    named = {**base, **far, "named": 1.0}
    assert should_answer(named), "a question naming a paper of the notes is answered"


def test_without_vectors_the_name_rules_and_word_floor_decide():
    assert answer_score({"relevance": 0.5}) is None
    assert should_answer({"relevance": 0.5}) and not should_answer({"relevance": 0.05})
    assert not should_answer({"relevance": 0.9, "unknown_name": 1.0})


def test_words_the_notes_never_use_count_against_an_english_question():
    weights = {"sourdough": 3.0, "bake": 2.0, "学習": 1.0}
    assert unseen_share(weights, {"学習": 40}) == 5 / 6
    base = {"relevance": 0.3, "unknown_name": 0.0, "name_missing": 0.0, "focus": 0.0,
            "en": 1.0, **dense_features([0.85], [0.86, *[0.84] * 99])}
    assert answer_score({**base, "unseen": 0.0}) > answer_score({**base, "unseen": 1.0})
