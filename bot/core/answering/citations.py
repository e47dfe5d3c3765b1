"""Check a model's answer against the passages it was given.

* ``[n]`` must name a passage that was given: others are removed; the rest are renumbered in
  order of first use, so the reader's sources are 1..m.
* A URL or arXiv ID that no passage contains is not presented as a source: bare ones are
  removed, a Markdown link keeps only its text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.models import Chunk
from bot.core.text import arxiv_id

_PATTERN = re.compile(
    r"\[(?P<label>[^\]\n]{1,200})\]\((?P<link>https?://[^)\s]+)\)"  # [text](url)
    r"|(?P<url>https?://[^\s<>()\[\]「」『』（）、。]+)"
    r"|(?P<arxiv>(?:arXiv\s*[:：]?\s*)?\b\d{2}(?:0[1-9]|1[0-2])\.\d{4,5}(?:v\d+)?\b)"
    r"|[\[［]\s*(?P<refs>[0-9０-９]+(?:\s*[,，、]\s*[0-9０-９]+)*)\s*[\]］]",
    re.I,
)
_TRAILING = ".,;:!?'\"*_"
# Removals leave this mark, so tidying touches only what the check changed (not code like f()).
_GONE = "\x00"
_GONE_IN_PARENS = re.compile(rf"[ \t]*[(（][ \t]*{_GONE}[ \t]*[)）]")
_GONE_WITH_SPACE = re.compile(rf"[ \t]*{_GONE}")


@dataclass(slots=True)
class Checked:
    text: str
    cited: list[int] = field(default_factory=list)  # original passage numbers, in new order
    removed_refs: list[int] = field(default_factory=list)
    removed_links: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.removed_refs and not self.removed_links


def check_citations(text: str, passages: Sequence[Chunk]) -> Checked:
    allowed = _Allowed(passages)
    result = Checked(text="")
    renumber: dict[int, int] = {}

    def replace(match: re.Match[str]) -> str:
        if match["refs"] is not None:
            return _refs(match["refs"], len(passages), renumber, result)
        if match["link"] is not None:
            return _link(match, allowed, result)
        if match["url"] is not None:
            return _url(match["url"], allowed, result)
        found = arxiv_id(match["arxiv"].split()[-1].split(":")[-1].split("：")[-1])
        if found and found in allowed.arxiv:
            return match[0]
        result.removed_links.append(match[0])
        return _GONE

    checked = _PATTERN.sub(replace, text)
    result.text = _tidy(checked)
    result.cited = sorted(renumber, key=renumber.__getitem__)
    return result


class _Allowed:
    """The URLs and arXiv IDs the passages contain (what an answer may present)."""

    def __init__(self, passages: Sequence[Chunk]) -> None:
        haystack = "\n".join(f"{p.text}\n{p.url or ''}" for p in passages)
        self.urls = {_norm_url(u) for u in re.findall(r"https?://[^\s)\]>]+", haystack)}
        self.arxiv = set(re.findall(r"\b(\d{4}\.\d{4,5})", haystack))

    def has_url(self, url: str) -> bool:
        found = arxiv_id(url)
        return (found in self.arxiv) if found else _norm_url(url) in self.urls


def _norm_url(url: str) -> str:
    url = url.rstrip(_TRAILING).lower()
    url = re.sub(r"^https?://(www\.)?", "", url)
    return url.rstrip("/")


def _refs(raw: str, count: int, renumber: dict[int, int], result: Checked) -> str:
    numbers = [int(n) for n in re.findall(r"\d+", unicodedata.normalize("NFKC", raw))]
    kept = []
    for n in numbers:
        if 1 <= n <= count:
            kept.append(renumber.setdefault(n, len(renumber) + 1))
        else:
            result.removed_refs.append(n)
    return "".join(f"[{n}]" for n in dict.fromkeys(kept)) or _GONE


def _link(match: re.Match[str], allowed: _Allowed, result: Checked) -> str:
    if allowed.has_url(match["link"]):
        return match[0]
    result.removed_links.append(match["link"])
    return match["label"]


def _url(url: str, allowed: _Allowed, result: Checked) -> str:
    core = url.rstrip(_TRAILING)
    tail = url[len(core) :]
    if allowed.has_url(core):
        return url
    result.removed_links.append(core)
    return _GONE + tail


def _tidy(text: str) -> str:
    text = _GONE_IN_PARENS.sub("", text)
    return _GONE_WITH_SPACE.sub("", text).strip()
