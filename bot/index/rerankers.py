"""Optional second-stage rerankers: a local cross-encoder, or a vLLM /rerank endpoint.

Off by default: on Japanese notes a reranker only helps if it understands Japanese (a
multilingual cross-encoder such as bge-reranker-v2-m3), which does not ship with notesbot.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

import httpx

from bot.index.embedders import resolve_model_path

if TYPE_CHECKING:
    from sentence_transformers import CrossEncoder

log = logging.getLogger(__name__)


class Reranker(Protocol):
    name: str

    def scores(self, query: str, texts: Sequence[str]) -> list[float]:
        """A relevance score per text (higher is better); raises on failure."""
        ...


class CrossEncoderReranker:
    """sentence-transformers CrossEncoder on this machine; loads on first use."""

    def __init__(self, model: str, *, batch_size: int = 16) -> None:
        self.name = f"cross-encoder:{model}"
        self._model_name = model
        self._batch_size = batch_size
        self._model: CrossEncoder | None = None

    def scores(self, query: str, texts: Sequence[str]) -> list[float]:
        if self._model is None:
            from sentence_transformers import CrossEncoder

            self._model = CrossEncoder(resolve_model_path(self._model_name), device="cpu")
        pairs = [(query, text) for text in texts]
        return [float(s) for s in self._model.predict(pairs, batch_size=self._batch_size)]


class VLLMReranker:
    """vLLM's (Jina/Cohere-style) ``POST {base_url}/rerank``."""

    def __init__(
        self, *, base_url: str, model: str | None, timeout: float, api_key: str | None = None
    ) -> None:
        self.name = f"vllm-rerank:{model or 'default'}"
        self._url = f"{base_url.rstrip('/')}/rerank"
        self._model = model
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(timeout=timeout, headers=headers)

    def scores(self, query: str, texts: Sequence[str]) -> list[float]:
        body: dict[str, object] = {"query": query, "documents": list(texts)}
        if self._model:
            body["model"] = self._model
        response = self._client.post(self._url, json=body)
        response.raise_for_status()
        found = {int(r["index"]): float(r["relevance_score"]) for r in response.json()["results"]}
        return [found.get(i, float("-inf")) for i in range(len(texts))]
