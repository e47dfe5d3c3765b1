"""Search latency (p50/p95) at 1k, 10k and 100k chunks, and where the time goes.

Corpora are synthesized from the 2,304 JSQuAD paragraphs: copy c > 0 of paragraph i has the
title ``<title> (c)`` and the text ``<text> (コピー c)``. Embedding 100k chunks on a CPU is too
slow, so the index is written directly (not via the Ingestor): SQLite rows through
``NotesStore.replace_files``, BM25 through ``BM25Index.build``, and Chroma vectors through
``ChromaVectors.add``; the 2,304 unique paragraphs are embedded once (cached as .npy) and each
copy gets that vector plus small gaussian noise, renormalized.

    .venv/bin/python bench/search_latency.py --sizes 1000,10000,100000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import numpy as np
from _jsquad import (
    JSQUAD_DIR,
    WORK_DIR,
    Paragraph,
    load_jsquad,
    log,
    make_settings,
    sample_questions,
)
from _latency_report import STEPS, Result, print_results, write_json

from bot.app.compose import Index, open_index
from bot.app.locking import writer_lock
from bot.app.settings import Settings
from bot.core.models import Chunk
from bot.index.bm25 import BM25Index
from bot.index.embedders import Embedder
from bot.index.search import DenseWeights, Searcher
from bot.index.vectors import Entry

T = TypeVar("T")
BENCH_ROOT = Path(__file__).resolve().parents[1]
LAYOUT = 1  # bump when the synthetic corpus changes
BATCH = 5_000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma list of chunk counts")
    parser.add_argument("--queries", type=int, default=200, help="JSQuAD questions (seed 0)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dense-ja", type=float, default=0.2, help="forced Japanese dense weight")
    parser.add_argument("--noise", type=float, default=0.02, help="per-dim std for copies")
    parser.add_argument("--warmup", type=int, default=10, help="untimed queries first")
    parser.add_argument("--jsquad", type=Path, default=JSQUAD_DIR)
    parser.add_argument("--work", type=Path, default=WORK_DIR / "latency")
    parser.add_argument("--rebuild", action="store_true", help="rebuild cached indexes")
    parser.add_argument("--chroma", choices=["embedded", "server"], default="embedded",
                        help="server: a `chroma run` on 127.0.0.1 started by the script")
    parser.add_argument("--json-out", type=Path, help="also write p50/p95 per step here")
    return parser.parse_args()


def copy_chunk(i: int, copy: int, para: Paragraph) -> Chunk:
    title = para.title if copy == 0 else f"{para.title} ({copy})"
    body = para.text if copy == 0 else f"{para.text} (コピー {copy})"
    return Chunk(f"p{i:05d}-c{copy:03d}", f"c{copy:03d}/{i:05d}.md", title, 3, 3, body)


def layout(size: int, count: int) -> Iterator[tuple[int, int]]:
    """(copy, paragraph) pairs, paragraphs in order, copy after copy, until ``size``."""
    for n in range(size):
        yield divmod(n, count)


def base_vectors(chunks: list[Chunk], embedder: Embedder, work: Path) -> np.ndarray:
    texts = [chunk.text for chunk in chunks]
    key = hashlib.sha256(json.dumps([embedder.name, *texts]).encode()).hexdigest()[:12]
    cache = work / f"embeddings-{key}.npy"
    if cache.exists():
        return np.load(cache)
    log(f"embedding {len(texts)} unique paragraphs (cached in {cache.name}) ...")
    started = time.perf_counter()
    vectors = np.asarray(embedder.embed_documents(texts), dtype=np.float32)
    log(f"  {time.perf_counter() - started:.1f}s")
    work.mkdir(parents=True, exist_ok=True)
    np.save(cache, vectors)
    return vectors


def build(
    settings: Settings,
    index: Index,
    paragraphs: list[Paragraph],
    size: int,
    base: tuple[list[list[str]], np.ndarray],
    noise: float,
) -> None:
    base_tokens, base_vecs = base
    rng = np.random.default_rng(size)
    index.vectors.reset()
    index.store.clear()
    suffix_tokens: dict[int, list[str]] = {}
    pairs = list(layout(size, len(paragraphs)))
    for start in range(0, size, BATCH):
        rows, chunks, picks = [], [], []
        for copy, i in pairs[start : start + BATCH]:
            chunk = copy_chunk(i, copy, paragraphs[i])
            if copy not in suffix_tokens:
                suffix_tokens[copy] = index.tokenizer.tokenize(f"({copy})\n(コピー {copy})")
            tokens = base_tokens[i] + (suffix_tokens[copy] if copy else [])
            file = {"source": chunk.source, "digest": chunk.id, "size": len(chunk.body)}
            rows.append((file, [chunk], [tokens], []))
            chunks.append(chunk)
            picks.append((copy, i))
        vecs = base_vecs[[i for _, i in picks]].copy()
        copied = np.array([copy > 0 for copy, _ in picks])
        vecs[copied] += rng.normal(0.0, noise, size=(int(copied.sum()), vecs.shape[1]))
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        index.vectors.add([Entry(c, 0, c.body, v) for c, v in zip(chunks, vecs, strict=True)])
        index.store.replace_files(rows)
        log(f"  built {min(start + BATCH, size)}/{size}")
    k1, b = settings.bm25_k1, settings.bm25_b
    stamp = f"{index.store.generation}:{k1}:{b}:{index.tokenizer.version}"
    BM25Index.build(index.store.tokens_in_order(), k1=k1, b=b, stamp=stamp).save(settings.data_dir)


def timed(samples: dict[str, list[float]], step: str, func: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = func()
    samples[step].append(time.perf_counter() - started)
    return result


def measure(
    settings: Settings, index: Index, queries: list[str], dense_ja: float, warmup: int
) -> dict[str, list[float]]:
    bm25 = BM25Index.load(settings.data_dir)

    def searcher(dense: DenseWeights) -> Searcher:
        return Searcher(
            store=index.store,
            bm25=lambda: bm25,
            vectors=index.vectors,
            embedder=index.embedder,
            tokenizer=index.tokenizer,
            dense=dense,
        )

    default = searcher(DenseWeights(ja=settings.dense_weight_ja, en=settings.dense_weight_en))
    dense = searcher(DenseWeights(ja=dense_ja, en=settings.dense_weight_en))
    collection = index.vectors._collection  # raw kNN, without the wrapper's count() call
    assert bm25 is not None
    for query in queries[:warmup]:
        default.search(query, k=10)
        dense.search(query, k=10)
    samples: dict[str, list[float]] = {step: [] for step in STEPS}
    for query in queries:
        tokens = timed(samples, "tokenize", lambda q=query: index.tokenizer.tokenize(q))
        timed(samples, "bm25s", lambda t=tokens: bm25.search(t, 100))
        vector = timed(samples, "embed query", lambda q=query: index.embedder.embed_query(q))
        timed(
            samples,
            "Chroma kNN",
            lambda v=vector: collection.query(
                query_embeddings=[v], n_results=100, include=["distances"]
            ),
        )
        timed(samples, "search ja default", lambda q=query: default.search(q, k=10))
        timed(samples, "search dense", lambda q=query: dense.search(q, k=10))
    return samples


def main() -> int:
    args = parse_args()
    server = None
    if args.chroma == "server":
        sys.path.insert(0, str(BENCH_ROOT))
        from tests.fakes.chroma import ChromaServer  # the same `chroma run` the tests use

        server = ChromaServer(args.work / "chroma-server")
        server.start()
    try:
        results = run(args, server)
    finally:
        if server is not None:
            server.stop()
    print_results(results, args.dense_ja, args.queries, args.chroma)
    if args.json_out:
        write_json(args.json_out, args.chroma, results)
    return 0


def run(args: argparse.Namespace, server: object | None) -> list[Result]:
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    paragraphs, questions = load_jsquad(args.jsquad)
    queries = [q.text for q in sample_questions(questions, args.queries, args.seed)]
    originals = [copy_chunk(i, 0, p) for i, p in enumerate(paragraphs)]
    base: tuple[list[list[str]], np.ndarray] | None = None
    results: list[Result] = []
    for size in sizes:
        data_dir = args.work / f"{'server-' if server else ''}size-{size}"
        remote = {"chroma_host": server.host, "chroma_port": server.port,  # type: ignore[attr-defined]
                  "chroma_collection": f"latency-{size}"} if server else {}
        settings = make_settings(args.work / "no-notes", data_dir, **remote)
        marker = data_dir / "synthetic.json"
        bm25_params = [settings.bm25_k1, settings.bm25_b]
        want = {"layout": LAYOUT, "size": size, "noise": args.noise, "bm25": bm25_params,
                "chroma": args.chroma}
        if args.rebuild:
            shutil.rmtree(data_dir, ignore_errors=True)
        index = open_index(settings)
        try:
            build_seconds = 0.0
            if not marker.exists() or json.loads(marker.read_text()) != want:
                if base is None:
                    log(f"tokenizing {len(originals)} unique paragraphs ...")
                    tokens = [index.tokenizer.tokenize(chunk.text) for chunk in originals]
                    base = (tokens, base_vectors(originals, index.embedder, args.work))
                log(f"building {size} chunks in {data_dir} ...")
                started = time.perf_counter()
                with writer_lock(data_dir):
                    marker.unlink(missing_ok=True)
                    build(settings, index, paragraphs, size, base, args.noise)
                    marker.write_text(json.dumps(want))
                build_seconds = time.perf_counter() - started
                log(f"  built in {build_seconds:.0f}s")
            assert index.store.count_chunks() == index.vectors.count() == size
            log(f"measuring {len(queries)} queries at {size} chunks ...")
            samples = measure(settings, index, queries, args.dense_ja, args.warmup)
            results.append((size, build_seconds, samples))
        finally:
            index.close()
    return results


if __name__ == "__main__":
    sys.exit(main())
