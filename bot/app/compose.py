"""The composition root: the only place that turns Settings into clients."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from bot.app.embedding import make_embedder
from bot.app.settings import HOSTED_OPENAI, Settings
from bot.core.answering.answerer import Answerer, AnswerPolicy
from bot.core.assistant import Assistant
from bot.core.digest import DigestMaker
from bot.core.llm import ChatModel
from bot.core.notes import ChunkingOptions
from bot.core.prompts import PromptBook
from bot.core.summaries import Summarizer
from bot.index.bm25 import BM25Loader
from bot.index.dense import Closeness
from bot.index.embedders import Embedder
from bot.index.reader import IndexReader, index_version
from bot.index.rerankers import CrossEncoderReranker, Reranker, VLLMReranker
from bot.index.search import DenseWeights, Searcher
from bot.index.store import NotesStore
from bot.index.tokenizer import JapaneseTokenizer
from bot.index.vector_cache import VectorCache
from bot.index.vectors import ChromaVectors
from ingest.pipeline import Ingestor
from ingest.progress import ProgressReporter

if TYPE_CHECKING:
    from chromadb.api import ClientAPI


@dataclass(slots=True)
class Index:
    store: NotesStore
    vectors: ChromaVectors
    embedder: Embedder
    tokenizer: JapaneseTokenizer
    cache: VectorCache

    def close(self) -> None:
        self.cache.close()
        self.store.close()

    def closeness(self) -> Closeness:
        """Question-to-text similarity, only while the index was built by this embedder."""
        store, embedder = self.store, self.embedder
        return Closeness(
            embedder=embedder,
            cache=self.cache,
            usable=lambda: store.get_meta("embedder") == embedder.name,
        )


def connect_chroma(
    *, data_dir: Path, host: str | None, port: int, timeout: float
) -> ClientAPI:
    """Embedded PersistentClient by default; HttpClient when a server host is configured."""
    import chromadb  # here: an idle bot has not needed it yet (ChromaVectors connects lazily)
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if not host:
        return chromadb.PersistentClient(path=str(data_dir / "chroma"), settings=settings)
    client = chromadb.HttpClient(host=host, port=port, settings=settings)
    # chromadb's HTTP client is built with timeout=None; a bot must not hang on a dead server.
    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(timeout)
    return client


def open_index(settings: Settings) -> Index:
    settings.data_dir.mkdir(parents=True, exist_ok=True)

    def client() -> ClientAPI:
        return connect_chroma(
            data_dir=settings.data_dir,
            host=settings.chroma_host,
            port=settings.chroma_port,
            timeout=settings.chroma_timeout,
        )

    path = settings.index_path
    return Index(
        store=NotesStore(path),
        vectors=ChromaVectors(
            client=client, collection=settings.chroma_collection, local=not settings.chroma_host
        ),
        embedder=make_embedder(settings),
        tokenizer=JapaneseTokenizer(),
        cache=VectorCache(path),
    )


def chunking_options(settings: Settings) -> ChunkingOptions:
    return ChunkingOptions(max_chars=settings.chunk_max_chars, min_chars=settings.chunk_min_chars)


def make_ingestor(
    settings: Settings,
    index: Index,
    progress: ProgressReporter,
    *,
    settle: float = 0.0,
    release_models: bool = False,
) -> Ingestor:
    """``release_models``: a one-shot ingest (the CLI) lets the embedder and the tokenizer go
    before it writes the vector index, which lowers its peak memory."""
    return Ingestor(
        store=index.store,
        vectors=index.vectors,
        cache=index.cache,
        embedder=index.embedder,
        tokenizer=index.tokenizer,
        data_dir=settings.data_dir,
        options=chunking_options(settings),
        bm25_k1=settings.bm25_k1,
        bm25_b=settings.bm25_b,
        max_bytes=settings.max_file_bytes,
        progress=progress,
        settle=settle,
        release_models=release_models,
    )


def make_reranker(settings: Settings) -> Reranker | None:
    if settings.reranker == "cross-encoder" and settings.reranker_model:
        return CrossEncoderReranker(settings.reranker_model)
    if settings.reranker == "vllm" and settings.reranker_url:
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
        return VLLMReranker(base_url=settings.reranker_url, model=settings.reranker_model,
                            timeout=settings.llm_timeout, api_key=key)
    return None


def make_searcher(settings: Settings, index: Index) -> Searcher:
    return Searcher(
        store=index.store,
        bm25=BM25Loader(settings.data_dir, version=lambda: index_version(index.store)),
        vectors=index.vectors,
        closeness=index.closeness(),
        tokenizer=index.tokenizer,
        dense=DenseWeights(ja=settings.dense_weight_ja, en=settings.dense_weight_en),
        reranker=make_reranker(settings),
    )


def make_chat_model(settings: Settings) -> ChatModel | None:
    """The configured LLM, or None (extractive answers) when no URL or key is set."""
    if not settings.llm_configured:
        return None
    from bot.llm.chat import OpenAIChat, make_async_client

    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    hosted = settings.llm_base_url is None
    client = make_async_client(
        base_url=settings.llm_base_url or HOSTED_OPENAI,
        api_key=key,
        timeout=settings.llm_timeout,
        connect_timeout=settings.llm_connect_timeout,
    )
    return OpenAIChat(
        client=client,
        # vLLM and Ollama list the model they serve; hosted OpenAI lists dozens.
        model=settings.llm_model or ("gpt-4o-mini" if hosted else None),
        temperature=settings.llm_temperature,
        max_tokens=settings.llm_max_tokens,
        timeout=settings.llm_timeout,
        retries=settings.llm_retries,
    )


@dataclass(slots=True)
class Runtime:
    """The assistant and what must be closed with it."""

    assistant: Assistant
    index: Index
    reader: IndexReader
    chat: ChatModel | None = None

    @property
    def model_name(self) -> str:
        return getattr(self.chat, "name", "none") if self.chat is not None else "none"

    def close(self) -> None:
        self.reader.close()
        self.index.close()

    async def aclose(self) -> None:
        """Close the model's HTTP client (inside the loop that used it)."""
        if self.chat is not None:
            await self.chat.aclose()


def build_runtime(
    settings: Settings, *, index: Index | None = None, chat: ChatModel | None = None
) -> Runtime:
    """Build the assistant once; ``index``/``chat`` let tests pass shared or fake-backed ones."""
    index = index or open_index(settings)
    chat = chat if chat is not None else make_chat_model(settings)
    reader = IndexReader(
        searcher=make_searcher(settings, index), store=index.store, vectors=index.vectors
    )
    prompts = PromptBook(settings.prompts_dir)
    policy = AnswerPolicy(
        passages=settings.answer_passages,
        min_relevance=settings.answer_min_relevance,
        budget=settings.llm_first_token_timeout or settings.llm_timeout,
        answer_budget=settings.llm_answer_timeout,
        history_turns=settings.history_turns,
        max_tokens=settings.llm_max_tokens,
        context_tokens=settings.llm_context_tokens,
    )
    # The core tokenizes on the event loop thread: it gets its own (Sudachi is not shareable).
    core_tokenizer = index.tokenizer.sibling()
    answerer = Answerer(
        notes=reader, prompts=prompts, tokenize=core_tokenizer.tokenize, chat=chat, policy=policy
    )
    summarizer = Summarizer(
        notes=reader,
        prompts=prompts,
        chat=chat,
        language=settings.summary_language,
        tries=settings.summary_tries,
        budget=settings.llm_timeout,
        tokenize=core_tokenizer.tokenize,
    )
    digests = DigestMaker(notes=reader, summarizer=summarizer, size=settings.digest_size)
    return Runtime(Assistant(reader, answerer, summarizer, digests), index, reader, chat)
