"""Vector write throughput into Chroma, embedded and server, batched under its max batch size.

Writes N precomputed unit vectors (dimension 384, like MiniLM) through ``ChromaVectors.add``
(which batches at ``get_max_batch_size()``), and shows what one unbatched call of
llama-index's default size (41,665, llama_index #20142) does instead.

    .venv/bin/python bench/write_throughput.py --count 20000
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

import numpy as np
from _jsquad import WORK_DIR, log, markdown_table

from bot.app.compose import connect_chroma
from bot.core.models import Chunk
from bot.index.vectors import ChromaVectors

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.fakes.chroma import ChromaServer  # the same `chroma run` as the tests

LLAMA_INDEX_BATCH = 41_665


def chunks(count: int) -> list[Chunk]:
    return [Chunk(f"c{i:07d}", f"n{i % 500}.md", "H", 1, 2, f"text {i}") for i in range(count)]


def vectors(count: int, dim: int = 384) -> list[list[float]]:
    rng = np.random.default_rng(0)
    raw = rng.normal(size=(count, dim)).astype(np.float32)
    return (raw / np.linalg.norm(raw, axis=1, keepdims=True)).tolist()


def measure(store: ChromaVectors, items: list[Chunk], vecs: list[list[float]]) -> float:
    started = time.perf_counter()
    store.add(items, vecs)
    seconds = time.perf_counter() - started
    assert store.count() == len(items)
    return seconds


def unbatched_overflow(store: ChromaVectors, count: int) -> str:
    big = min(count, LLAMA_INDEX_BATCH)
    if big <= store.max_batch:
        return f"{big} ≤ max batch: no overflow at this size"
    try:
        store._collection.add(ids=[f"x{i}" for i in range(big)], embeddings=vectors(big))
    except Exception as exc:
        return f"{exc.__class__.__name__}: {str(exc)[:90]}"
    return "accepted (no overflow)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--work", type=Path, default=WORK_DIR / "throughput")
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    items, vecs = chunks(args.count), vectors(args.count)
    rows = []
    server = ChromaServer(args.work / "server")
    server.start()
    try:
        for mode in ("embedded", "server"):
            host = server.host if mode == "server" else None
            client = connect_chroma(data_dir=args.work / mode, host=host, port=server.port,
                                    timeout=60)
            store = ChromaVectors(client=client, collection="throughput")
            log(f"{mode}: writing {args.count} vectors in batches of {store.max_batch} ...")
            seconds = measure(store, items, vecs)
            overflow = unbatched_overflow(store, LLAMA_INDEX_BATCH)
            rows.append([mode, f"{store.max_batch:,}", f"{seconds:.1f}",
                         f"{args.count / seconds:,.0f}", overflow])
    finally:
        server.stop()
    print(f"Chroma write throughput: {args.count:,} vectors of dimension 384, CPU\n")
    print(markdown_table(
        ["Chroma", "max batch", "seconds", "vectors/s", f"one add() of {LLAMA_INDEX_BATCH:,}"],
        rows,
    ))
    return 0


if __name__ == "__main__":
    sys.exit(main())
