"""Test helpers: run the real ingest and search against a data dir, sharing one embedder."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from pathlib import Path

from bot.app.compose import Index, Runtime, build_runtime, make_ingestor, make_searcher, open_index
from bot.app.settings import Settings
from bot.core.llm import ChatModel
from bot.index.bm25 import BM25Index
from bot.index.embedders import Embedder
from bot.index.search import Searcher
from ingest.progress import PlainProgress
from ingest.report import IngestReport


def settings_for(notes: Path, data: Path, **overrides: object) -> Settings:
    return Settings(_env_file=None, notes_dir=notes, data_dir=data, **overrides)


def open_with(settings: Settings, embedder: Embedder) -> Index:
    index = open_index(settings)
    index.embedder = embedder  # one loaded model for the whole test session
    return index


def run_ingest(settings: Settings, embedder: Embedder, *, rebuild: bool = False) -> IngestReport:
    index = open_with(settings, embedder)
    try:
        ingestor = make_ingestor(settings, index, PlainProgress())
        return ingestor.run(settings.notes_dir, rebuild=rebuild)
    finally:
        index.close()


def sample_copy(tmp_path: Path, embedder: Embedder) -> Settings:
    """A writable copy of samples/notes, ingested: for tests that add notes or post digests."""
    from tests.conftest import SAMPLE_NOTES

    notes = tmp_path / "notes"
    shutil.copytree(SAMPLE_NOTES, notes)
    settings = settings_for(notes, tmp_path / "data")
    run_ingest(settings, embedder)
    return settings


def searcher_for(settings: Settings, embedder: Embedder) -> tuple[Searcher, Index]:
    index = open_with(settings, embedder)
    return make_searcher(settings, index), index


def index_counts(settings: Settings, embedder: Embedder) -> dict[str, object]:
    """What a consistent index must agree on: SQLite rows, Chroma vectors, BM25 documents."""
    index = open_with(settings, embedder)
    try:
        bm25 = BM25Index.load(settings.data_dir)
        ids = set(index.store.chunk_ids())
        return {
            "sqlite": len(ids),
            "chroma": len(index.vectors.all_ids()),  # passages with sentence vectors
            "bm25": len(bm25.ids) if bm25 else 0,
            "chroma_ids_match": index.vectors.all_ids() == ids,
            "bm25_ids_match": bm25 is not None and set(bm25.ids) == ids,
            "files": len(index.store.file_hashes()),
        }
    finally:
        index.close()


_WORDS = (
    "注意機構 量子化 蒸留 埋め込み 検索 翻訳 推論 事前学習 拡散モデル 強化学習 トークナイザ "
    "評価指標 データセット 損失関数 最適化 スケーリング 多言語 画像生成 音声認識 要約"
).split()


def write_synthetic_notes(folder: Path, *, files: int, sections: int, seed: int = 0) -> None:
    """Deterministic Japanese notes (headings + paragraphs) for crash and scale tests."""
    import random

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for f in range(files):
        parts = [f"# 合成ノート {f}\n"]
        for s in range(sections):
            sentences = [
                f"{rng.choice(_WORDS)}と{rng.choice(_WORDS)}の関係を調べた実験{f}-{s}-{i}。"
                for i in range(6)
            ]
            parts.append(f"## 節 {s}\n\n{''.join(sentences)}\n")
        (folder / f"note-{f:03d}.md").write_text("\n".join(parts), encoding="utf-8")


def runtime_for(settings: Settings, embedder: Embedder, chat: ChatModel | None = None) -> Runtime:
    """The real assistant over a built index, sharing the session's embedder."""
    return build_runtime(settings, index=open_with(settings, embedder), chat=chat)


async def eventually(check: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Poll ``check`` until it holds (work that lands just after what the test waited for)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True
