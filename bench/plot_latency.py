"""Plot search latency (p50/p95) against index size, embedded vs server Chroma, to a PNG.

    .venv/bin/python bench/search_latency.py --json-out bench/.work/latency-embedded.json
    .venv/bin/python bench/search_latency.py --chroma server \\
        --json-out bench/.work/latency-server.json
    .venv/bin/python bench/plot_latency.py bench/.work/latency-*.json -o docs/latency.png
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: write a file
import matplotlib.pyplot as plt

SERIES = {"search ja default": "Japanese question (BM25)", "search dense": "with dense retrieval"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", nargs="+", type=Path, help="--json-out files")
    parser.add_argument("-o", "--output", type=Path, default=Path("docs/latency.png"))
    args = parser.parse_args()
    rows = [row for path in args.results for row in json.loads(path.read_text())]
    figure, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    for axis, percentile in zip(axes, (50, 95), strict=True):
        for chroma in sorted({r["chroma"] for r in rows}):
            mine = sorted((r for r in rows if r["chroma"] == chroma), key=lambda r: r["chunks"])
            for step, label in SERIES.items():
                axis.plot([r["chunks"] for r in mine], [r[f"{step} {percentile}"] for r in mine],
                          marker="o", linestyle="-" if chroma == "embedded" else "--",
                          label=f"{label}, {chroma} Chroma")
        axis.set(xscale="log", yscale="log", xlabel="chunks in the index",
                 title=f"search latency p{percentile}")
        axis.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel("milliseconds")
    axes[1].legend(fontsize=8)
    figure.tight_layout()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(args.output, dpi=110)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
