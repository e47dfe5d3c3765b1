"""A bm25s index over SudachiPy tokens, persisted in the data dir and swapped atomically."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import bm25s  # type: ignore[import-untyped]  # no stubs or py.typed
import numpy as np

_POINTER = "bm25.current"
_UNLOADED = object()


class BM25Index:
    def __init__(self, ids: list[str], model: bm25s.BM25, stamp: str) -> None:
        self.ids = ids
        self.stamp = stamp  # which store generation and parameters it was built from
        self._model = model

    @classmethod
    def build(
        cls, rows: Iterable[tuple[str, list[str]]], *, k1: float, b: float, stamp: str
    ) -> BM25Index:
        """From (chunk id, tokens) rows, read one at a time: each document is kept as token
        ids, not strings (808 notes, 3.2 MB of text: 457k tokens took 58 MB as strings;
        the strings made an ingest's peak grow with the folder)."""
        ids: list[str] = []
        documents: list[list[int]] = []
        vocab: dict[str, int] = {}
        for chunk_id, tokens in rows:
            ids.append(chunk_id)
            documents.append([vocab.setdefault(t, len(vocab)) for t in tokens])
        model = bm25s.BM25(k1=k1, b=b)
        if ids:
            model.index((documents, vocab), show_progress=False)
        return cls(ids, model, stamp)

    def search(self, tokens: list[str], n: int) -> list[tuple[str, float]]:
        """Top ``n`` (chunk id, score) with a positive score."""
        if not self.ids or not tokens:
            return []
        known = [t for t in tokens if t in self._model.vocab_dict]
        if not known:
            return []
        scores = self._model.get_scores(known)
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top])]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def doc_freqs(self, tokens: list[str]) -> dict[str, int]:
        """How many documents contain each token (0 for unknown ones), from the CSC index."""
        if not self.ids:
            return dict.fromkeys(tokens, 0)
        vocab, indptr = self._model.vocab_dict, self._model.scores["indptr"]
        return {
            t: int(indptr[vocab[t] + 1] - indptr[vocab[t]]) if t in vocab else 0 for t in tokens
        }

    def save(self, data_dir: Path) -> None:
        """Write a new folder, then repoint ``bm25.current`` at it: readers never see half."""
        folder = data_dir / f"bm25-{os.getpid()}-{time.time_ns()}"
        if folder.exists():
            shutil.rmtree(folder)
        if self.ids:
            self._model.save(str(folder), show_progress=False)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "ids.json").write_text(json.dumps(self.ids))
        tmp = data_dir / f"{_POINTER}.tmp"
        tmp.write_text(json.dumps({"folder": folder.name, "stamp": self.stamp}))
        os.replace(tmp, data_dir / _POINTER)
        for old in data_dir.glob("bm25-*"):
            if old.is_dir() and old.name != folder.name:
                shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def pointer_state(cls, data_dir: Path) -> tuple[int, int] | None:
        """Changes whenever a new index is swapped in (readers reload on change)."""
        try:
            stat = (data_dir / _POINTER).stat()
        except FileNotFoundError:
            return None
        return stat.st_mtime_ns, stat.st_ino

    @classmethod
    def load(cls, data_dir: Path) -> BM25Index | None:
        pointer = data_dir / _POINTER
        if not pointer.exists():
            return None
        info = json.loads(pointer.read_text())
        folder = data_dir / info["folder"]
        ids = json.loads((folder / "ids.json").read_text())
        model = bm25s.BM25.load(str(folder)) if ids else bm25s.BM25()
        return cls(ids, model, str(info["stamp"]))


class BM25Loader:
    """The current BM25 index of a data dir, reloaded when an ingest swaps in a new one, or
    (``version``) when a new ingest pass is published, with the rest of what readers see."""

    def __init__(self, data_dir: Path, version: Callable[[], object] | None = None) -> None:
        self._data_dir = data_dir
        self._version = version or (lambda: BM25Index.pointer_state(data_dir))
        self._state: object = _UNLOADED
        self._index: BM25Index | None = None

    def __call__(self) -> BM25Index | None:
        state = self._version()
        if state != self._state:
            self._index = BM25Index.load(self._data_dir)
            self._state = state
        return self._index
