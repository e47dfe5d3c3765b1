"""Save as note when the notes folder cannot take it: the user hears why, nothing is lost."""

from __future__ import annotations

from bot.app.settings import REPO_PROMPTS
from bot.arxiv.cache import ListingCache
from bot.core.arxiv.notes import PaperWriter
from bot.core.arxiv.submissions import Submission
from bot.core.phrases import phrase
from bot.core.prompts import PromptBook
from bot.digest.arxiv import NoteWriter
from tests.support import runtime_for


async def test_saving_says_what_happened_when_it_cannot_write(sample_index, embedder, tmp_path):
    cache = ListingCache(tmp_path / "cache")
    cache.put("2026-11-24", ["cs.CL"], [Submission("2104.08821", "SimCSE", "We propose SimCSE.")])
    runtime = runtime_for(sample_index, embedder)
    author = PaperWriter(prompts=PromptBook(REPO_PROMPTS), chat=None, language="ja")
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "arxiv").write_text("not a folder")
    writer = NoteWriter(notes_dir=notes, cache=cache, notes=runtime.reader, writer=author)
    try:
        blocked = await writer.save("2104.08821", "en")
        unknown = await writer.save("2401.00001", "en")
    finally:
        runtime.close()
    assert blocked.startswith("Could not write into the notes folder (")
    assert unknown == phrase("arxiv_unknown", "en", id="2401.00001")
    assert (notes / "arxiv").read_text() == "not a folder", "nothing of the user's is touched"
