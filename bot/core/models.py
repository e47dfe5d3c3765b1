"""Domain records shared by ingest, search and the bots."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.text import arxiv_id


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where something was written: a note (relative path), its heading path and first line."""

    source: str
    heading: str
    line: int


@dataclass(slots=True)
class PaperMention:
    """One paper as one note mentions it; mentions of the same paper merge into a Paper."""

    title: str
    ref: SourceRef
    url: str | None = None
    venue: str | None = None
    year: int | None = None
    authors: str | None = None
    tags: list[str] = field(default_factory=list)
    tweet: str | None = None
    summary: str | None = None
    nicknames: list[str] = field(default_factory=list)  # see bot.core.nicknames
    names: list[str] = field(default_factory=list)  # other names the note declares: "ResNet"


@dataclass(slots=True)
class Paper:
    """A catalog record: the merge of every mention of one paper."""

    key: str
    title: str
    url: str | None = None
    venue: str | None = None
    year: int | None = None
    authors: str | None = None
    tags: list[str] = field(default_factory=list)
    tweet: str | None = None
    summary: str | None = None
    sources: list[SourceRef] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # every title the notes use for it
    nicknames: list[str] = field(default_factory=list)  # other names: "Chinchilla", "MCD"
    names: list[str] = field(default_factory=list)  # declared: front matter aliases, file name
    first_seen: str | None = None  # ISO time it first entered the index

    @property
    def arxiv_id(self) -> str | None:
        return arxiv_id(self.url) if self.url else None


@dataclass(frozen=True, slots=True)
class Chunk:
    """A passage of a note, understandable alone: ``text`` = context header + ``body``."""

    id: str
    source: str
    heading: str
    line_start: int
    line_end: int
    body: str
    paper: str | None = None
    url: str | None = None

    @property
    def header(self) -> str:
        """Where the passage sits: its paper and heading path."""
        return " > ".join(part for part in (self.paper, self.heading) if part)

    @property
    def text(self) -> str:
        header = self.header
        return f"{header}\n{self.body}" if header else self.body


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result."""

    rank: int
    score: float
    chunk: Chunk
    relevance: float = 0.0  # bot.core.relevance.coverage of the question by this passage

    def to_json(self) -> dict[str, object]:
        c = self.chunk
        return {
            "rank": self.rank,
            "score": round(self.score, 4),
            "relevance": round(self.relevance, 3),
            "source": c.source,
            "heading": c.heading,
            "paper": c.paper,
            "url": c.url,
            "lines": [c.line_start, c.line_end],
            "text": c.body,
        }
