"""How well notes written by other researchers are understood: papers, titles, summaries.

For every collection (a top-level folder of NOTES, one file per paper) this parses each note
(no embeddings: the paper catalog only) and reports:
- single-paper notes that yield a paper with the right title;
- notes where a section heading ("実験", "Idea", "2. 先行研究と…") became a "paper";
- papers whose summary comes from the note's content, not from a metadata or link line;
- papers `summary` finds by their title, by their other name (a file named "SimSiam"), and
  by their arXiv id.

The right title is read off each note with plain rules independent of the parser (front
matter ``title:``, a ``% Title`` line, the first ``#`` heading or title link, else the file
name); hand-checked on samples of every collection. Every note of a collection is a single-paper
note (these collections keep one file per paper) but its README.

    .venv/bin/python bench/note_formats.py NOTES [--json]

NOTES used for docs/benchmarks.md: ../shared/notes plus five public collections, fetched
outside the repository (licenses differ; nothing of them is committed):
Obarads/obarads.github.io@a0da6f1a (public/data, public/previous_data),
cympfh/cympfh.github.io@a0ed8396 (paper/src, paper-old), shunk031/paper-survey (_posts),
shagunsodhani/papers-I-read (site/_posts), dennybritz/deeplearning-papernotes (notes).
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from bot.core.catalog import build_catalog
from bot.core.models import Paper, PaperMention
from bot.core.notes import ChunkingOptions, content_hash, parse_note
from bot.core.reading import decode_note
from bot.core.summaries import find_paper
from bot.core.text import title_key

_FRONT_TITLE = re.compile(r"^title:\s*[\"']?(.+?)[\"']?\s*$", re.M)
_PANDOC = re.compile(r"^%\s*(?:\[[^\]]+\]\s*)?(.+)$")
_H1 = re.compile(r"^#{1,2}\s+(.+)$", re.M)
_LINK_TITLE = re.compile(r"^#*\s*\[([^\]]{8,})\]\((https?://[^)]+)\)", re.M)
_METADATA = re.compile(
    r"https?://|github issues|^cite\s*:|公開ページ|^%|^---|^layout:|^title:|\[\]\(\)"
    r"|^note\s*:",
    re.I,
)
# Topic memos, not paper notes (hand-checked): "# Bins / ## 概要 / ## 説明 or メモ".
NOT_PAPERS = {
    "Application of Point Cloud", "Bins", "Kernel", "Machine Learning", "Manifold",
    "Point cloud", "SLAM", "Saliency", "Self-Supervised Learning", "Spectral Clustering",
    "2016-08-16-welcome-to-jekyll",  # the blog's sample post
}
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$", re.M)


def truth_title(name: str, text: str) -> str | None:
    """The note's title by plain rules (see the module docstring)."""
    head = text.lstrip("\ufeff\n ")
    if head.startswith("---") and (m := _FRONT_TITLE.search(head.split("\n---", 1)[0])):
        return m.group(1)
    if head.startswith("%") and (m := _PANDOC.match(head.split("\n", 1)[0])):
        return m.group(1).strip()
    if m := _LINK_TITLE.search(head[:400]):
        return m.group(1)
    if m := _H1.search(head):
        return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", m.group(1)).strip()
    return None


def from_content(summary: str | None, text: str) -> bool:
    """Is the summary the note's prose (found in it, no link or metadata line)?"""
    if not summary or _METADATA.search(summary):
        return False
    aside = re.compile(r"\]\([^)\n]*\)|\$[^$\n]*\$")  # link targets and math
    probe = title_key(aside.sub(" ", summary)).replace(" ", "")[:25]  # words and digits only
    prose = aside.sub(" ", text)
    return probe in title_key(prose).replace(" ", "")


def measure(root: Path, folder: Path) -> dict[str, object]:
    notes, mentions = {}, []
    counts: Counter[str] = Counter()
    for path in sorted(p for p in folder.rglob("*") if p.suffix in (".md", ".txt")):
        if path.stem.lower() == "readme" or path.stem in NOT_PAPERS:
            continue
        data = path.read_bytes()
        source = str(path.relative_to(root))
        text = decode_note(data).text
        options = ChunkingOptions()
        parsed = parse_note(source, text, options=options, content_hash=content_hash(data))
        notes[source] = (text, parsed.mentions)
        counts["notes"] += 1
        mentions += parsed.mentions
    catalog = build_catalog(mentions)
    misses: list[str] = []
    for source, (text, found) in notes.items():
        title = truth_title(source, text) or Path(source).stem
        counts["single"] += 1
        counts["heading_papers"] += _section_papers(text, found, title)
        mine = [m for m in found if title_key(m.title) == title_key(title)]
        counts["right_title"] += bool(mine)
        if not mine:
            misses.append(f"{source}: {title!r} -> {[m.title for m in found]}")
            continue
        paper = _paper_of(catalog, mine[0])
        counts["summaries"] += 1
        counts["summary_from_content"] += from_content(paper.summary if paper else None, text)
        counts["found_by_title"] += find_paper(title, catalog) is paper
        if paper and paper.arxiv_id:
            counts["with_arxiv"] += 1
            counts["found_by_arxiv"] += find_paper(paper.arxiv_id, catalog) is paper
        names = [*paper.names, *paper.nicknames] if paper else []
        others = [n for n in names if title_key(n) != title_key(title)]
        if others:
            counts["with_alias"] += 1
            counts["found_by_alias"] += find_paper(others[0], catalog) is paper
    return {"counts": dict(counts), "misses": misses[:8]}


def _section_papers(text: str, found: list[PaperMention], title: str | None) -> int:
    """1 if a section heading of the note (not its title) became a paper."""
    headings = {title_key(h) for h in _HEADING.findall(text)} - {title_key(title or "")}
    return int(any(title_key(m.title) in headings for m in found))


def _paper_of(catalog: list[Paper], mention: PaperMention) -> Paper | None:
    key = title_key(mention.title)
    return next((p for p in catalog if key in {title_key(a) for a in [p.title, *p.aliases]}), None)


def _rate(counts: dict[str, int], part: str, whole: str) -> str:
    return f"{counts.get(part, 0)}/{counts.get(whole, 0)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notes", type=Path, help="a folder of collections, one folder each")
    parser.add_argument("--only", nargs="*", help="these collections only")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    root = args.notes.resolve()
    folders = [d for d in sorted(root.iterdir()) if d.is_dir()]
    results = {d.name: measure(root, d) for d in folders if not args.only or d.name in args.only}
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    print("| collection | notes | right title | heading papers | summary from content "
          "| found by title | by alias | by arXiv id |")
    print("|---|---|---|---|---|---|---|---|")
    for name, result in results.items():
        c = result["counts"]
        assert isinstance(c, dict)
        print(f"| {name} | {c.get('notes', 0)} | {_rate(c, 'right_title', 'single')} "
              f"| {c.get('heading_papers', 0)} | {_rate(c, 'summary_from_content', 'summaries')} "
              f"| {_rate(c, 'found_by_title', 'summaries')} "
              f"| {_rate(c, 'found_by_alias', 'with_alias')} "
              f"| {_rate(c, 'found_by_arxiv', 'with_arxiv')} |")
    for name, result in results.items():
        for miss in result["misses"]:  # type: ignore[union-attr]
            print(f"  {name}: {miss}")


if __name__ == "__main__":
    main()
