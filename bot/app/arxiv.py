"""The arXiv parts, built from settings once: the API client, the listing cache, the digest
section and the note writer. The digest section exists only with NOTESBOT_ARXIV_CATEGORIES;
the note writer always (a link sent in a DM), and touches the network only then."""

from __future__ import annotations

from dataclasses import dataclass

from bot.app.compose import Runtime
from bot.app.settings import Settings
from bot.arxiv.cache import ListingCache
from bot.arxiv.client import ArxivClient
from bot.core.arxiv.notes import PaperWriter
from bot.core.arxiv.rank import Ranker
from bot.core.prompts import PromptBook
from bot.digest.arxiv import ArxivSection, NoteWriter
from bot.index.similarity import DenseSimilarity, LexicalSimilarity
from bot.live.inbox import Indexer


@dataclass(slots=True)
class ArxivParts:
    client: ArxivClient
    cache: ListingCache
    section: ArxivSection | None
    writer: NoteWriter

    async def aclose(self) -> None:
        await self.client.aclose()


def arxiv_client(settings: Settings) -> ArxivClient:
    return ArxivClient(
        base_url=settings.arxiv_base_url,
        categories=settings.arxiv_categories,
        interval=settings.arxiv_request_interval,
        timeout=settings.arxiv_timeout,
    )


def build_arxiv(settings: Settings, runtime: Runtime, index: Indexer | None = None) -> ArxivParts:
    client = arxiv_client(settings)
    cache = ListingCache(settings.data_dir / "arxiv")
    author = PaperWriter(
        prompts=PromptBook(settings.prompts_dir),
        chat=runtime.chat,
        language=settings.summary_language,
        budget=settings.llm_timeout,
    )
    ranker = Ranker(dense=DenseSimilarity(runtime.index.embedder), lexical=LexicalSimilarity())
    section = None
    if settings.arxiv_categories:
        section = ArxivSection(
            client=client, cache=cache, notes=runtime.reader, ranker=ranker, writer=author,
            size=settings.arxiv_digest_size,
        )
    writer = NoteWriter(
        notes_dir=settings.notes_dir, cache=cache, notes=runtime.reader, writer=author,
        shown=section.summary_of if section else lambda arxiv_id: None, client=client,
        index=index,
    )
    return ArxivParts(client, cache, section, writer)
