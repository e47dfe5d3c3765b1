"""New arXiv papers in the core: the first claim, the saved note (read back by the real
parser), the ranking with the real MiniLM and BM25 similarities, and the model summary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.app.compose import make_chat_model
from bot.app.settings import REPO_PROMPTS
from bot.core.arxiv.notes import PaperWriter, first_claim, note_name, note_text
from bot.core.arxiv.rank import Profile, Ranker, library, profile
from bot.core.arxiv.submissions import Submission
from bot.core.catalog import build_catalog
from bot.core.models import Paper
from bot.core.notes import ChunkingOptions, parse_note
from bot.core.prompts import PromptBook
from bot.index.similarity import DenseSimilarity, LexicalSimilarity, words
from tests.fakes.openai_fake import MODEL, Reply
from tests.support import runtime_for

UNRELATED = Path(__file__).parents[2] / "data" / "arxiv_unrelated.jsonl"
ABSTRACT = (
    "Sentence embeddings matter for search. Prior work needs labels. We propose a contrastive "
    "method that uses dropout as noise and improves similarity scores by 4.2 points. "
    "Code is released."
)
PAPER = Submission("2104.08821", "SimCSE: Simple Contrastive Learning of Sentence Embeddings",
                   ABSTRACT, ("T. Gao", "D. Chen"), ("cs.CL", "cs.LG"), "2021-04-18T17:00:00Z")


def test_the_first_claim_is_the_we_propose_sentence_else_the_first():
    assert first_claim(ABSTRACT).startswith("We propose a contrastive method")
    assert first_claim("A survey of things.   It has parts.") == "A survey of things."
    assert first_claim("") == ""


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_saved_note_reads_back_as_a_deep_dive_with_its_link_and_tweet(lang):
    summary = "ドロップアウトをノイズに使う対照学習で文埋め込みを改善。"
    text = note_text(PAPER, summary, lang)
    assert note_name(PAPER) == "arxiv-2104.08821.md"
    assert note_name(Submission("hep-th/9901001", "Old", "")) == "arxiv-hep-th_9901001.md"
    parsed = parse_note("arxiv/arxiv-2104.08821.md", text,
                        options=ChunkingOptions(), content_hash="0" * 32)
    (paper,) = build_catalog(parsed.mentions)
    assert paper.title == PAPER.title and paper.arxiv_id == "2104.08821"
    assert paper.tweet == summary
    assert any("dropout as noise" in chunk.body for chunk in parsed.chunks)


def small_library() -> list[Profile]:
    notes = {
        "Sentence-BERT: Sentence Embeddings using Siamese BERT-Networks":
            ["Siamese BERT で文埋め込み。cosine similarity で検索が速い。"],
        "Attention Is All You Need": ["self-attention だけの Transformer。並列化できる。"],
        "Matryoshka Representation Learning": ["embedding を入れ子にして次元を切り詰める。"],
    }
    profiles = []
    for title, bodies in notes.items():
        chunks = [type("C", (), {"body": b})() for b in bodies]
        profiles.append(profile(Paper(key=title, title=title), chunks))  # type: ignore[arg-type]
    return profiles


def test_ranking_puts_the_close_paper_first_names_the_reason_and_skips_noted_ones(embedder):
    listing = [
        Submission("2599.00001", "Gravitational waves from a neutron star merger",
                   "We observe a signal from two neutron stars with LIGO detectors."),
        PAPER,
        Submission("1706.03762", "Attention Is All You Need", "Already noted."),  # by title
    ]
    ranker = Ranker(dense=DenseSimilarity(embedder), lexical=LexicalSimilarity())
    ranked = ranker.rank(listing, small_library())
    assert [p.submission.arxiv_id for p in ranked] == ["2104.08821", "2599.00001"]
    assert ranked[0].near.startswith("Sentence-BERT") and ranked[0].score > ranked[1].score
    assert ranker.rank(listing, []) == [] and ranker.rank([], small_library()) == []


def test_lexical_similarity_is_one_for_itself_zero_for_nothing_shared_and_bounded():
    docs = ["contrastive sentence embeddings", "galaxy rotation curves", ""]
    rows = LexicalSimilarity().matrix(["Contrastive Sentence Embeddings", "protein folding"], docs)
    assert rows[0][0] == pytest.approx(1.0) and rows[0][1] == 0.0 and rows[0][2] == 0.0
    assert rows[1] == [0.0, 0.0, 0.0]
    assert words("The models propose new Embeddings, classes") == ["embedding", "class"]


@pytest.fixture
async def writer(openai_server, sample_index):
    """A PaperWriter whose model is the fake OpenAI-compatible server."""
    settings = sample_index.model_copy(update={"llm_base_url": openai_server.base_url,
                                               "llm_model": MODEL, "llm_retries": 0})
    chat = make_chat_model(settings)
    yield PaperWriter(prompts=PromptBook(REPO_PROMPTS), chat=chat, language="ja")
    await chat.aclose()  # type: ignore[union-attr]


async def test_a_model_summary_in_the_notes_voice_is_checked_against_the_abstract(
    openai_server, writer
):
    voice = ["例のツイート。#NLP"]
    openai_server.script(Reply("対照学習で文埋め込みを4.2ポイント改善。"),
                         Reply("対照学習で99ポイント改善！"),  # a number the abstract lacks
                         Reply("長" * 141))
    good = await writer.summarize(PAPER, voice)
    made_up = await writer.summarize(PAPER, voice)
    too_long = await writer.summarize(PAPER, voice)
    assert good == "対照学習で文埋め込みを4.2ポイント改善。"
    assert made_up == too_long == first_claim(ABSTRACT)[:140] and len(made_up) <= 140
    prompt = openai_server.chat_requests()[0]["messages"][1]["content"]
    assert ABSTRACT in prompt and "- 例のツイート。#NLP" in prompt


async def test_without_a_model_the_summary_is_the_first_claim_within_140_characters():
    summarizer = PaperWriter(prompts=PromptBook(REPO_PROMPTS), chat=None, language="ja")
    long = Submission("1", "T", "We propose " + "a very long method name " * 20 + ".")
    assert await summarizer.summarize(PAPER) == first_claim(ABSTRACT)
    assert 0 < len(await summarizer.summarize(long)) <= 140


SECTIONS = (
    "## 1. 既存研究では何ができなかったのか\n\nラベルが必要だった。\n\n"
    "## 2. どのようなアプローチでそれを解決しようとしたか\n\n"
    "ドロップアウトをノイズに使う対照学習。\n\n"
    "## 3. 結果、何が達成できたのか\n\n類似度が4.2ポイント向上。\n\n"
    "## 4. Limitation\n\nアブストラクトには書かれていない。"
)


async def test_with_a_model_a_saved_note_gets_checked_numbered_sections(openai_server, writer):
    openai_server.script(Reply(SECTIONS), Reply(SECTIONS.split("## 4.")[0]),  # one missing
                         Reply(SECTIONS.replace("4.2", "12")))  # a number not in the abstract
    drafted = [await writer.sections(PAPER) for _ in range(3)]
    assert drafted == [SECTIONS, "", ""]
    text = note_text(PAPER, "要約。", "ja", drafted[0])
    assert text.index("## Abstract") < text.index("## 1.") < text.index("## 4.") < text.index(
        "140字")
    parsed = parse_note("arxiv/x.md", text, options=ChunkingOptions(), content_hash="0" * 32)
    (paper,) = build_catalog(parsed.mentions)
    assert paper.tweet == "要約。" and any("4.2ポイント" in c.body for c in parsed.chunks)
    assert await PaperWriter(prompts=PromptBook(REPO_PROMPTS), chat=None,
                             language="ja").sections(PAPER) == ""


async def test_on_the_real_notes_the_noted_arxiv_papers_outrank_a_day_of_unrelated_ones(
    shared_index, embedder
):
    """The arXiv papers of ../shared/notes, hidden from the library, in a listing with the 160
    unrelated papers, all by title (the notes hold no abstracts): most rank near the top."""
    settings, _ = shared_index
    runtime = runtime_for(settings, embedder)
    try:
        profiles = await library(runtime.reader)
    finally:
        runtime.close()
    hidden = [p for p in profiles if p.arxiv_id]
    rows = [json.loads(line) for line in UNRELATED.read_text().splitlines()]
    listing = [Submission(p.arxiv_id or "", p.title, "") for p in hidden]
    listing += [Submission(r["arxiv_id"], r["title"], "") for r in rows]
    ranker = Ranker(dense=DenseSimilarity(embedder), lexical=LexicalSimilarity())
    ranked = ranker.rank(listing, [p for p in profiles if not p.arxiv_id])
    top = [p.submission.arxiv_id for p in ranked[: len(hidden)]]
    noted = sum(i in {p.arxiv_id for p in hidden} for i in top)
    assert len(hidden) >= 10 and noted >= 0.5 * len(hidden), (noted, len(hidden))  # chance: 0.1
