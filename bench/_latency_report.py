"""How bench/search_latency.py reports: a Markdown table of p50/p95 per step and size, with
the ratios to the lexical-only and raw-dense baselines, and the same numbers as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from _jsquad import markdown_table, percentile

STEPS = ("tokenize", "bm25s", "embed query", "Chroma kNN", "search ja default", "search dense")
Result = tuple[int, float, dict[str, list[float]]]  # chunks, build seconds, samples per step


def write_json(path: Path, chroma: str, results: list[Result]) -> None:
    rows = [
        {"chroma": chroma, "chunks": size, "build_s": round(secs, 1),
         **{f"{step} {q}": round(percentile(s[step], q) * 1000, 3)
            for step in STEPS for q in (50, 95)}}
        for size, secs, s in results
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rows, indent=2))


def print_results(results: list[Result], dense_ja: float, n: int, chroma: str) -> None:
    def p(values: list[float], q: float) -> float:
        return percentile(values, q) * 1000

    header = ["chunks", *[f"{step} p50 / p95 ms" for step in STEPS]]
    header += ["ratio ja default", "ratio dense"]
    rows = []
    for size, _, s in results:
        cells = [f"{p(s[step], 50):.2f} / {p(s[step], 95):.2f}" for step in STEPS]
        lexical = p(s["tokenize"], 50) + p(s["bm25s"], 50)
        raw_dense = lexical + p(s["embed query"], 50) + p(s["Chroma kNN"], 50)
        rows.append(
            [
                f"{size:,}",
                *cells,
                f"{p(s['search ja default'], 50) / lexical:.2f}",
                f"{p(s['search dense'], 50) / raw_dense:.2f}",
            ]
        )
    print(
        f"Search latency ({chroma} Chroma): {n} JSQuAD questions (seed 0), k=10, "
        "100 candidates per list; "
        f"'search dense' forces Japanese dense weight {dense_ja:g}\n"
    )
    print(markdown_table(header, rows))
    print(
        "\nratio ja default = search p50 ÷ (tokenize + bm25s p50); "
        "ratio dense = search p50 ÷ (tokenize + bm25s + embed query + Chroma kNN p50)"
    )
    built = [f"{size:,}: {secs:.0f}s" for size, secs, _ in results if secs]
    if built:
        print(f"\nIndex build time (not part of the latency): {', '.join(built)}")
