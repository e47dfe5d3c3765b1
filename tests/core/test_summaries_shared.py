"""Every paper in the user's real notes gets a summary of at most 140 characters (no LLM)."""

from __future__ import annotations

import pytest

from bot.core.summaries import LIMIT
from bot.core.text import numbers_in
from tests.support import runtime_for


@pytest.fixture(scope="module")
def runtime(shared_index, embedder):
    settings, _ = shared_index
    runtime = runtime_for(settings, embedder)
    yield runtime
    runtime.close()


async def test_every_paper_is_summarized_within_140_characters(runtime):
    papers = await runtime.assistant.notes.papers()
    assert len(papers) > 60
    origins = {}
    for paper in papers:
        found = await runtime.assistant.summarize(paper.title)
        assert found is not None, paper.title
        assert found.paper == paper.title, "the summary names the paper it was asked for"
        assert 0 < len(found.text) <= LIMIT, (paper.title, len(found.text), found.text)
        assert "http" not in found.text, "the link is not part of the 140 characters"
        passages = await runtime.assistant.notes.paper_passages(paper.aliases)
        note_text = "\n".join([paper.tweet or "", paper.summary or ""] + [c.body for c in passages])
        assert numbers_in(found.text) <= numbers_in(note_text), (paper.title, found.text)
        origins[paper.title] = found.origin
    deep_dives = [p for p in papers if p.tweet]
    assert len(deep_dives) == 18
    assert sum(origins[p.title] == "tweet" for p in deep_dives) == 17


async def test_the_156_character_tweet_is_shortened_at_sentence_boundaries(runtime):
    papers = await runtime.assistant.notes.papers()
    long_one = next(p for p in papers if p.tweet and len(p.tweet) > LIMIT)
    assert len(long_one.tweet) == 156
    found = await runtime.assistant.summarize(long_one.title)
    assert found.origin == "extractive" and len(found.text) <= LIMIT
    body = found.text.split(" #")[0]
    assert long_one.tweet.startswith(body), "whole leading sentences of the note's own tweet"
    assert body[-1] in "。！？!?", "ends at a sentence end, not mid-word"
    tags = found.text.split(" #")[1:]
    assert all(f"#{tag}" in long_one.tweet.split() for tag in tags), "hashtags kept whole"
    assert found.url and "arxiv.org" in found.url


@pytest.mark.parametrize(
    ("query", "title_start"),
    [
        ("2503.06573", "WildIFEval"),  # arXiv id
        ("arxiv.org/abs/2503.06573", "WildIFEval"),
        ("modded nanogpt", "Modded-NanoGPT"),  # case and punctuation
        ("Matryoshka", "Matryoshka Representation Learning"),  # words of the title
        ("Chinchilla のスケーリング則", "Training Compute-Optimal"),  # found through search
        ("Chinchilla", "Training Compute-Optimal"),  # the names the notes give papers
        ("Gopher", "Scaling Language Models"),
        ("MCD", "Monte Carlo Diffusion"),
        ("STaSC", "Self-Taught Self-Correction"),
    ],
)
async def test_papers_are_found_by_id_title_words_or_search(runtime, query, title_start):
    found = await runtime.assistant.summarize(query)
    assert found is not None and found.paper.startswith(title_start), found


async def test_unknown_paper_gives_none(runtime):
    assert await runtime.assistant.summarize("今日の天気") is None
    assert await runtime.assistant.summarize("9999.99999") is None
