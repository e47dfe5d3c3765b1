"""What the bot hands back: answers with checked citations, summaries, and stream events."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bot.core.models import Chunk, SourceRef

Lang = Literal["ja", "en"]
Mode = Literal["llm", "extractive"]


@dataclass(frozen=True, slots=True)
class Turn:
    """One earlier message of the conversation."""

    role: Literal["user", "assistant"]
    text: str


_EXCERPT = 300  # characters of a cited passage shown as evidence
_PASSAGE = 1500  # characters of a cited passage kept for "show me the sources"


@dataclass(frozen=True, slots=True)
class Citation:
    """Source ``[n]`` of an answer: a real passage of a real note."""

    n: int
    source: str
    heading: str
    paper: str | None
    url: str | None
    line_start: int
    line_end: int
    excerpt: str = ""  # the passage's opening, to check the answer without opening the note
    passage: str = ""  # the passage itself, lines kept (capped), for a closer look on request

    @classmethod
    def of(cls, n: int, chunk: Chunk) -> Citation:
        flat = " ".join(chunk.body.split())
        excerpt = flat if len(flat) <= _EXCERPT else flat[: _EXCERPT - 1] + "…"
        body = chunk.body.strip()
        passage = body if len(body) <= _PASSAGE else body[: _PASSAGE - 1] + "…"
        return cls(
            n, chunk.source, chunk.heading, chunk.paper, chunk.url, chunk.line_start,
            chunk.line_end, excerpt, passage,
        )

    def to_json(self) -> dict[str, object]:
        return {
            "n": self.n,
            "source": self.source,
            "heading": self.heading,
            "paper": self.paper,
            "url": self.url,
            "lines": [self.line_start, self.line_end],
        }


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    text: str
    citations: tuple[Citation, ...]
    mode: Mode
    language: Lang
    found: bool = True  # False: nothing relevant in the notes, said plainly
    notes: tuple[str, ...] = field(default=())  # what checking removed, why a fallback happened

    def to_json(self) -> dict[str, object]:
        return {
            "answer": self.text,
            "mode": self.mode,
            "citations": [c.to_json() for c in self.citations],
            "found": self.found,
            "language": self.language,
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class Delta:
    """More answer text, as the model writes it."""

    text: str


@dataclass(frozen=True, slots=True)
class Restart:
    """Discard the text streamed so far (the model failed mid-answer; a fallback follows)."""

    reason: str


@dataclass(frozen=True, slots=True)
class Done:
    """The final, checked answer: render this, whatever was streamed before."""

    answer: Answer


AnswerEvent = Delta | Restart | Done

SummaryOrigin = Literal["tweet", "llm", "extractive"]


@dataclass(frozen=True, slots=True)
class Summary:
    """A paper in at most 140 characters; the link is shown on its own line, not counted."""

    paper: str
    url: str | None
    text: str
    source: SourceRef
    origin: SummaryOrigin

    def to_json(self) -> dict[str, object]:
        return {
            "paper": self.paper,
            "url": self.url,
            "summary": self.text,
            "source": self.source.source,
            "heading": self.source.heading,
            "origin": self.origin,
        }
