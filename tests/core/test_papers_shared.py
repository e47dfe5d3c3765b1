"""Paper catalog and chunks extracted from the user's real notes (../shared/notes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.catalog import build_catalog
from bot.core.notes import ChunkingOptions, ParsedNote, content_hash, parse_note
from tests.conftest import shared_note


def _parse(path: Path, options: ChunkingOptions | None = None) -> ParsedNote:
    data = path.read_bytes()
    return parse_note(
        path.name,
        data.decode("utf-8"),
        options=options or ChunkingOptions(),
        content_hash=content_hash(data),
    )


@pytest.fixture(scope="module")
def parsed(shared_notes: Path) -> dict[str, ParsedNote]:
    return {p.name[:3]: _parse(p) for p in sorted(shared_notes.iterdir())}


def test_deep_dives_are_18_papers_with_arxiv_urls(parsed):
    mentions = parsed["002"].mentions
    assert len(mentions) == 18
    assert all(m.url and "arxiv.org/abs/" in m.url for m in mentions)
    assert len({m.url for m in mentions}) == 18
    assert all(m.tweet for m in mentions), "every deep dive has a ready tweet (section 8)"
    assert not any("'''" in (m.tweet or "") for m in mentions), (
        "the stray ''' line is not tweet text"
    )
    assert max(len(m.tweet or "") for m in mentions) == 156, "the long tweet is kept whole"


def test_code_comments_are_not_papers(parsed):
    titles = {m.title for note in parsed.values() for m in note.mentions}
    assert "Generative Retrieval" not in titles
    assert "例" not in titles
    assert not any(t.startswith(("#", "weight_matrix")) for t in titles)


def test_paper_note_list_has_its_nine_entries(parsed):
    titles = [m.title for m in parsed["004"].mentions]
    assert len(titles) == 9
    assert "Modded-NanoGPT" in titles
    assert "The Free Transformer" in titles
    # related-work bullets and footnotes are references, not entries
    assert "Longformer: The Long-Document Transformer" not in titles
    nv = next(m for m in parsed["004"].mentions if m.title.startswith("NV-Embed"))
    assert (nv.venue, nv.year, nv.authors) == ("ICLR", 2025, "Chankyu Lee+")
    assert "Embeddings" in nv.tags and nv.summary


@pytest.mark.parametrize(
    ("note", "title", "venue", "year"),
    [
        ("000", "Matryoshka Representation Learning", "NeurIPS", 2022),
        ("001", "Computational Limits of LoRA", "ICLR", 2025),
        (
            "003",
            "Training Compute-Optimal Large Language Models",
            "DeepMind Tech Report / arXiv",
            2022,
        ),
    ],
)
def test_tables_become_papers(parsed, note, title, venue, year):
    mention = next(m for m in parsed[note].mentions if m.title == title)
    assert (mention.venue, mention.year) == (venue, year)
    assert mention.summary


def test_catalog_merges_the_same_paper_across_mentions(parsed):
    catalog = build_catalog(m for note in parsed.values() for m in note.mentions)
    by_title = {p.title: p for p in catalog}
    sbert = by_title["Sentence-BERT: Sentence Embeddings using Siamese BERT-Networks"]
    assert len(sbert.sources) == 2  # the table row and the "best 5" item "Sentence-BERT"
    assert "Sentence-BERT" not in by_title
    chinchilla = by_title["Training Compute-Optimal Large Language Models"]
    assert chinchilla.authors == "Hoffmann et al." and len(chinchilla.sources) == 2
    assert len(catalog) == len({p.key for p in catalog})


def test_chunks_keep_source_heading_lines_and_paper(parsed, shared_notes):
    options = ChunkingOptions()
    lines = shared_note(shared_notes, "002").read_text(encoding="utf-8").split("\n")
    for chunk in parsed["002"].chunks:
        assert len(chunk.body) <= options.max_chars
        assert chunk.paper and chunk.url and chunk.heading.startswith(chunk.paper)
        first = lines[chunk.line_start - 1].strip()
        assert first and first[:20] in chunk.body, "line range points at the passage"
    table_row = next(c for c in parsed["001"].chunks if c.paper == "Computational Limits of LoRA")
    assert table_row.body.startswith("| 論文タイトル")  # the header travels with the row
    assert table_row.line_start == table_row.line_end


def test_chunk_ids_are_stable_and_unique(shared_notes, parsed):
    again = _parse(shared_note(shared_notes, "002"))
    assert [c.id for c in again.chunks] == [c.id for c in parsed["002"].chunks]
    all_ids = [c.id for note in parsed.values() for c in note.chunks]
    assert len(all_ids) == len(set(all_ids))
