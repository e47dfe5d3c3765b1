"""The rules that make an extractive answer the answer: sentence choice, focus, lists,
follow-ups and "not found" (pure parts, then through the sample index)."""

from __future__ import annotations

import pytest

from bot.core.answering.answer_sentences import Asked
from bot.core.answering.focus import agreed, named_papers
from bot.core.answering.glossary import mine_pairs
from bot.core.answering.listing import is_list_question
from bot.core.answering.queries import asking_clause
from bot.core.answering.quoting import scored_units
from bot.core.answering.refusal import names_in
from bot.core.answering.sections import RoleModel, count_roles, role_of
from bot.core.answering.sentences import answer_units
from bot.core.answers import Answer, Citation, Turn
from bot.core.dates import dates_in
from bot.core.evaluation.answers import judge, states
from bot.core.evaluation.retrieval import EvalCase
from bot.core.models import Chunk, Hit, Paper
from bot.core.phrases import phrase
from tests.support import runtime_for


def chunk(body: str, heading: str = "Paper > 5. 技術的な詳細") -> Chunk:
    return Chunk("c1", "n.md", heading, 1, 9, body, paper="Paper")


def words(text: str) -> list[str]:
    return text.replace("、", " ").replace("：", " ").replace("。", " ").split()


def test_a_lead_in_line_is_joined_with_the_list_it_introduces():
    body = "使用したモデル：\n- Qwen-2.5-1.5B\n- Phi3-mini\nコードとモデルを公開しています。"
    units = answer_units(body)
    assert units[0] == "使用したモデル： Qwen-2.5-1.5B、Phi3-mini"
    assert "使用したモデル：" not in units[1:], "a lead-in alone is never an answer"


def test_code_link_stubs_and_html_never_become_the_answer_and_identifiers_stay_whole():
    body = (
        "[View Paper](http://arxiv.org/abs/2503.09573v1)\n"
        "```python\ndenoised_block = model.predict(noisy_block)\n```\n"
        "初期モデル M<sub>0</sub> から始め、denoised_block を各段で更新します。"
    )
    units = answer_units(body)
    assert units == ["初期モデル M0 から始め、denoised_block を各段で更新します。"]


def test_code_outside_fences_is_no_answer():
    body = "x_t = add_noise(x_0, eps, t)  # ノイズを加算\ndef step(model, batch):\n学習率は 5e-4。"
    assert answer_units(body) == ["学習率は 5e-4。"]


def test_a_quantity_question_prefers_the_sentence_with_the_number():
    body = "学習は複数の GPU で行いました。\nGPU： A100 を 8 枚、学習時間は 80 時間。"
    wanted = {"gpu": 1.0}
    asked = Asked("GPU は 何 枚 使った？", wanted, lambda t: words(t.lower()))
    scored = scored_units(chunk(body), 1, asked)
    assert max(scored, key=lambda unit: unit[2])[1].startswith("GPU： A100 を 8 枚")


def test_a_paper_is_named_by_title_short_name_arxiv_id_or_coined_word_not_common_words():
    gqa = Paper("k1", "Cost-Optimal Grouped-Query Attention for Long-Context LLMs",
                url="http://arxiv.org/abs/2503.09579v1")
    bd = Paper("k2", "Block Diffusion: Interpolating Between Autoregressive and Diffusion LMs")
    mat = Paper("k3", "MatFormer: Nested Transformer for Elastic Inference")
    papers = [gqa, bd, mat]
    assert named_papers("Block Diffusionの学習に使ったGPUは？", papers) == [bd]
    assert named_papers("2503.09579 のデータセットは", papers) == [gqa]
    assert named_papers("matformerって何？", papers) == [mat]
    assert named_papers("attention にマスクをかける論文", papers) == []


def test_section_roles_are_learned_from_the_notes_words():
    cost = "6. コストや物理的な詳細について"
    samples = [(f"P{i} > {cost}", ["gpu", "枚", "時間"]) for i in range(12)]
    samples += [(f"P{i} > 4. Limitationや問題点は何か", ["課題", "限界"]) for i in range(12)]
    model = RoleModel(count_roles(samples))
    affinity = model.affinity(["gpu", "枚"], lambda t: 1.0)
    long_heading = "P > 6. コストや物理的な詳細について。例えば GPU の数"
    assert max(affinity, key=affinity.__getitem__) == role_of(long_heading)


def test_list_questions_and_dates_are_recognized():
    assert is_list_question("量子化の論文を全部挙げて")
    assert is_list_question("list every paper I noted about Mamba")
    assert not is_list_question("Mamba の学習率は？")
    assert dates_in("6/30のセッション") == [(6, 30)] == dates_in("June 30 session")


def test_names_are_what_users_capitalize_not_sentence_starts():
    assert names_in("What batch size did BERT use?") == {"bert"}
    assert names_in("Whisperの学習データって何時間分？") == {"whisper"}


def test_the_judge_wants_the_cited_note_and_every_key():
    case = EvalCase("q", "n.md", ("A100|H100", "8 枚"))
    cited = (Citation(1, "n.md", "h", None, None, 1, 1),)
    right = Answer("q", "GPU は **A100** を 8 枚 [1]", cited, "extractive", "ja")
    assert judge(case, right) == "right"
    assert judge(case, Answer("q", "A100 [1]", cited, "extractive", "ja")) == "wrong_fact"
    assert judge(case, Answer("q", "no", (), "extractive", "ja", found=False)) == (
        "false_not_found"
    )
    assert judge(EvalCase("q", None), Answer("q", "x", (), "extractive", "ja", False)) == (
        "refused"
    )
    assert states("Ｑｗｅｎ２", "qwen2")


@pytest.fixture(scope="module")
def assistant(sample_index, embedder):
    runtime = runtime_for(sample_index, embedder)
    yield runtime.assistant
    runtime.close()


async def test_a_list_question_answers_with_a_counted_list_from_the_catalog(assistant):
    answer = await assistant.answer("2026-01-10 のセッションで出た論文を全部挙げて")
    first = answer.text.splitlines()[0]
    assert answer.found and "件" in first
    count = int(first.split("は ")[1].split(" 件")[0])
    assert count == len(answer.citations) >= 3
    assert all(c.source == "2026-01-10_session.md" for c in answer.citations)
    assert "1. **" in answer.text and f"[{count}]" in answer.text


async def test_a_follow_up_with_its_own_nouns_keeps_the_conversations_paper(assistant):
    history = [
        Turn("user", "Attention Is All You Need ってどんな論文？"),
        Turn("assistant", "自己注意だけで系列変換を行うモデルです [1]。"),
    ]
    answer = await assistant.answer("BLEU スコアはいくつだった？", history)
    assert answer.found
    assert all(c.paper == "Attention Is All You Need" for c in answer.citations), answer
    assert "28.4" in answer.text


async def test_a_question_about_a_model_the_notes_never_mention_is_not_found(assistant):
    answer = await assistant.answer("Whisper の学習データは何時間分？")
    assert not answer.found and answer.citations == ()
    assert answer.text.startswith(phrase("not_found", "ja"))
    assert phrase("closest_papers", "ja") in answer.text, "near-domain: suggest what is there"


async def test_a_question_naming_one_paper_is_answered_from_that_paper_only(assistant):
    answer = await assistant.answer("Attention Is All You Need の学習時間は？")
    assert answer.found and answer.citations
    assert {c.paper for c in answer.citations} == {"Attention Is All You Need"}
    assert answer.text.splitlines()[1] == "**Attention Is All You Need**"


async def test_a_follow_up_keeps_the_paper_the_last_answer_came_from_even_unnamed(assistant):
    history = [
        Turn("user", "RNN を使わず自己注意だけで翻訳するモデルの話って？"),
        Turn("assistant", "自己注意だけで系列変換を行うモデルです [1]。"),
    ]
    answer = await assistant.answer("BLEU はいくつ？", history)
    assert answer.found and "28.4" in answer.text
    assert {c.paper for c in answer.citations} == {"Attention Is All You Need"}


async def test_a_paper_named_inside_another_papers_note_is_a_part_of_it(assistant):
    # The attention note uses Sentence-BERT's name; Sentence-BERT's note never names it back.
    answer = await assistant.answer("Attention Is All You Need の Sentence-BERT に触れた課題は？")
    assert answer.found
    assert {c.paper for c in answer.citations} == {"Attention Is All You Need"}
    assert "二乗" in answer.text or "追加学習" in answer.text


async def test_a_comparison_keeps_both_named_papers(assistant):
    answer = await assistant.answer("Attention Is All You Need と Sentence-BERT の違いは？")
    assert {c.paper for c in answer.citations} >= {
        "Attention Is All You Need",
        "Sentence-BERT: Sentence Embeddings using Siamese BERT-Networks",
    }, answer


@pytest.mark.parametrize(
    ("question", "clause"),
    [
        ("YOLOv2をベースに点群から3Dの箱を出すやつ、TitanXだとフレームレートはどのくらい？",
         "TitanXだとフレームレートはどのくらい？"),
        ("点群データの論文があったと思うんだけど、サンプリングのやり方ってどっちだった？",
         "サンプリングのやり方ってどっちだった？"),
        ("言語モデルを文書分類に転用する手法で、層ごとの学習率は？", "層ごとの学習率は？"),
        ("In the pointer-generator summarization notes, what value does p_gen take?",
         "what value does p_gen take?"),
        ("PIXORの処理速度ってどれくらい出てたっけ？", None),
        ("LRS-VQAの論文の実験環境（GPU）と、SFTに使ったサンプル数を教えて", None),  # names it
        ("What error did ResNet get on the ImageNet test set?", None),
    ],
)
def test_what_a_question_asks_once_it_has_described_its_paper(question, clause):
    assert asking_clause(question) == clause


def test_glossary_pairs_keep_the_term_not_its_particles():
    found = mine_pairs([
        "著者らは鳥瞰図(BEV)",
        "のことを当たり券(winning ticket)",
        "行動マネージャ (Action Manager)",
        "は上手く行かなかったそう(non-crisp)",
    ])
    assert found == {
        "bev": "鳥瞰図", "winning ticket": "当たり券", "action manager": "行動マネージャ"
    }


def test_the_best_hit_is_the_focus_when_it_stands_out_alone():
    papers = [Paper(key=t, title=t, aliases=[t]) for t in ("A", "B", "C")]

    def hit(rank: int, score: float, paper: str) -> Hit:
        return Hit(rank, score, Chunk(f"c{rank}", f"{paper}.md", paper, 1, 2, "x", paper=paper))

    far = [hit(1, 7.3, "A"), hit(2, 3.1, "B"), hit(3, 2.9, "C"), hit(4, 2.1, "B")]
    focus = agreed(far, papers, described=True)
    assert focus.paper is papers[0] and focus.alone
    near = [hit(1, 5.9, "A"), hit(2, 5.2, "B"), hit(3, 4.8, "C"), hit(4, 1.9, "B")]
    assert agreed(near, papers, described=True).is_open
    assert agreed(far, papers).is_open, "a question naming no described paper: agreement only"
    agreeing = [hit(1, 5.9, "A"), hit(2, 5.8, "A"), hit(3, 4.8, "C")]
    focus = agreed(agreeing, papers)
    assert focus.paper is papers[0] and not focus.alone
