"""The embedder the settings ask for: built here, once, for the composition root."""

from __future__ import annotations

from bot.app.settings import Settings
from bot.index.embedders import (
    PACKAGED_MODEL,
    E5Embedder,
    Embedder,
    LocalEmbedder,
    OpenAIEmbedder,
    Prefixes,
)


def make_embedder(settings: Settings) -> Embedder:
    """The packaged e5 by default; a server's model, or a sentence-transformers one."""
    prefixes = embed_prefixes(settings)
    if settings.embed_backend == "openai":
        from openai import OpenAI

        key = settings.embed_api_key.get_secret_value() if settings.embed_api_key else "none"
        client = OpenAI(
            base_url=settings.embed_base_url,
            api_key=key,
            timeout=settings.embed_timeout,
            max_retries=0,  # retries are ours (tenacity)
        )
        return OpenAIEmbedder(
            client=client,
            model=settings.embed_model,
            batch_size=settings.embed_batch_size,
            multilingual=settings.embed_multilingual,
            prefixes=prefixes,
        )
    if settings.embed_model == PACKAGED_MODEL:
        return E5Embedder(batch_size=settings.embed_batch_size)
    return LocalEmbedder(
        settings.embed_model,
        batch_size=settings.embed_batch_size,
        multilingual=settings.embed_multilingual,
        prefixes=prefixes,
    )


def embed_prefixes(settings: Settings) -> Prefixes | None:
    """Explicit prefixes, or None: the embedder guesses them from its model's name."""
    query, passage = settings.embed_query_prefix, settings.embed_passage_prefix
    if query is None and passage is None:
        return None
    return Prefixes(query or "", passage or "")
