"""Hit@10 of the arXiv ranking: would a paper the user did note have been proposed?

For every note paper with an arXiv id: hide it (its profile leaves the library), put it into
a day's listing of unrelated papers (tests/data/arxiv_unrelated.jsonl), rank the listing
against the rest of the library, and check the hidden paper is in the top 10. The notes hold
no abstracts, so the hidden paper enters with its title only; the unrelated ones are ranked
twice, title only (a fair match) and with their abstracts (what a real listing has).

    .venv/bin/python bench/arxiv_rank.py --data-dir /tmp/nb    # an index of ../shared/notes
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from bot.app.compose import build_runtime
from bot.app.settings import Settings
from bot.core.arxiv.rank import Profile, Ranker, library
from bot.core.arxiv.submissions import Submission
from bot.index.similarity import DenseSimilarity, LexicalSimilarity

UNRELATED = Path(__file__).resolve().parents[1] / "tests" / "data" / "arxiv_unrelated.jsonl"
WEIGHTS = {"dense only": 1.0, "BM25 only": 0.0, "fusion (0.5)": 0.5}


class CachedEmbedder:
    """The index's embedder, each text embedded once for the whole run."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.name, self.multilingual = inner.name, inner.multilingual  # type: ignore[attr-defined]
        self._one = cache(lambda text: inner.embed_documents([text])[0])  # type: ignore[attr-defined]
        self._query = cache(inner.embed_query)  # type: ignore[attr-defined]

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return [self._one(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._query(text)


def hits(
    ranker: Ranker, profiles: list[Profile], unrelated: list[Submission], *, every: bool
) -> list[int]:
    """The rank of each hidden paper (1 = first) in its day's listing: the papers with an
    arXiv id, or (``every``) every note paper."""
    ranks = []
    for n, hidden in enumerate(p for p in profiles if every or p.arxiv_id):
        rest = [p for p in profiles if p is not hidden]
        own = Submission(hidden.arxiv_id or f"hidden.{n}", hidden.title, "")
        ranked = ranker.rank([own, *unrelated], rest)
        ranks.append(1 + [r.submission.arxiv_id for r in ranked].index(own.arxiv_id))
    return ranks


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--unrelated", type=Path, default=UNRELATED)
    args = parser.parse_args()
    runtime = build_runtime(Settings(data_dir=args.data_dir))
    profiles = await library(runtime.reader)
    rows = [json.loads(line) for line in args.unrelated.read_text().splitlines() if line.strip()]
    with_abstract = [Submission.from_json(r) for r in rows]
    title_only = [Submission(s.arxiv_id, s.title, "") for s in with_abstract]
    dense = DenseSimilarity(CachedEmbedder(runtime.index.embedder))  # type: ignore[arg-type]
    print(f"library: {len(profiles)} note papers, {sum(1 for p in profiles if p.arxiv_id)} "
          f"with an arXiv id; listing: 1 hidden + {len(rows)} unrelated papers\n")
    print("| hidden papers | ranking | unrelated papers as | hit@1 | hit@10 | median rank |")
    print("|---|---|---|---|---|---|")
    for every in (False, True):
        for name, weight in WEIGHTS.items():
            ranker = Ranker(dense=dense, lexical=LexicalSimilarity(), weight=weight)
            for kind, listing in (("title only", title_only), ("title + abstract", with_abstract)):
                ranks = sorted(hits(ranker, profiles, listing, every=every))
                n = len(ranks)
                print(f"| {'all ' if every else 'arXiv '}{n} | {name} | {kind} | "
                      f"{sum(r == 1 for r in ranks) / n:.2f} | "
                      f"{sum(r <= 10 for r in ranks) / n:.2f} | {ranks[n // 2]} |")
    cost(runtime.index.embedder, profiles, with_abstract)
    runtime.close()
    return 0


def cost(embedder: object, profiles: list[Profile], papers: list[Submission]) -> None:
    """A day's ranking (5 copies of the unrelated papers: an 800-paper listing, as cs.CL +
    cs.LG have) against embedding the same texts alone, the floor of any dense ranking."""
    listing = [Submission(f"{p.arxiv_id}.{c}", f"{p.title} ({c})", p.abstract)
               for c in range(5) for p in papers]
    texts = [f"{s.title}. {s.abstract}" for s in listing] + [p.text for p in profiles]
    started = time.perf_counter()
    embedder.embed_documents(texts)  # type: ignore[attr-defined]
    embedding = time.perf_counter() - started
    ranker = Ranker(dense=DenseSimilarity(embedder), lexical=LexicalSimilarity())  # type: ignore[arg-type]
    started = time.perf_counter()
    ranker.rank(listing, profiles)
    ranking = time.perf_counter() - started
    print(f"\nranking {len(listing)} new papers against {len(profiles)} note papers: "
          f"{ranking:.1f} s; embedding their texts alone: {embedding:.1f} s; "
          f"ratio {ranking / embedding:.2f}")


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
