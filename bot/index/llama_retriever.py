"""The notes' hybrid search (BM25 over SudachiPy tokens + e5 sentence vectors) as a
llama-index retriever, for a query engine or an agent built beside the bot:

    from llama_index.core.query_engine import RetrieverQueryEngine
    from bot.app.compose import make_searcher, open_index
    from bot.index.llama_retriever import NotesRetriever

    index = open_index(settings)
    engine = RetrieverQueryEngine.from_args(
        NotesRetriever(searcher=make_searcher(settings, index), k=5), llm=...
    )

Each node is a passage with the note it came from (source, heading, lines, paper, URL), so
a llama-index answer can cite notes the way the bot does. Only this module imports
llama-index (seconds of start-up that the bot and the ingest never pay).
"""

from __future__ import annotations

from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from bot.core.models import Hit
from bot.index.search import Searcher


class NotesRetriever(BaseRetriever):
    def __init__(self, *, searcher: Searcher, k: int = 5) -> None:
        super().__init__()
        self._searcher = searcher
        self._k = k

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        hits = self._searcher.search(query_bundle.query_str, k=self._k)
        return [NodeWithScore(node=_node(hit), score=hit.score) for hit in hits]


def _node(hit: Hit) -> TextNode:
    chunk = hit.chunk
    return TextNode(
        id_=chunk.id,
        text=chunk.body,
        metadata={
            "source": chunk.source,
            "heading": chunk.heading,
            "lines": f"{chunk.line_start}-{chunk.line_end}",
            "paper": chunk.paper or "",
            "url": chunk.url or "",
        },
    )
