"""New arXiv submissions and the ones proposed to the user (pure types)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.core.answers import Lang


@dataclass(frozen=True, slots=True)
class Submission:
    """A paper from the day's arXiv listing: its id is without version ("2503.09419")."""

    arxiv_id: str
    title: str
    abstract: str
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    published: str = ""  # ISO time of its first version

    @property
    def url(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv_id}"

    def to_json(self) -> dict[str, object]:
        return {
            "arxiv_id": self.arxiv_id,
            "title": self.title,
            "abstract": self.abstract,
            "authors": list(self.authors),
            "categories": list(self.categories),
            "published": self.published,
        }

    @classmethod
    def from_json(cls, row: dict[str, object]) -> Submission:
        return cls(
            str(row["arxiv_id"]),
            str(row["title"]),
            str(row.get("abstract") or ""),
            tuple(str(a) for a in row.get("authors") or ()),  # type: ignore[attr-defined]
            tuple(str(c) for c in row.get("categories") or ()),  # type: ignore[attr-defined]
            str(row.get("published") or ""),
        )


@dataclass(frozen=True, slots=True)
class Proposal:
    """A new paper proposed because it is close to the notes: ``near`` is the note paper it
    is closest to (the reason shown), ``summary`` its ≤ 140-character summary."""

    submission: Submission
    score: float
    near: str
    summary: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            **self.submission.to_json(),
            "url": self.submission.url,
            "score": round(self.score, 4),
            "near": self.near,
            "summary": self.summary,
        }


class PaperSaver(Protocol):
    """Writes a paper into the notes folder: one a digest proposed ("save as note"), or any
    paper named by a link sent alone in a DM."""

    async def save(self, arxiv_id: str, lang: Lang) -> str:
        """What to tell the user: saved as which file, already there, or unknown."""
        ...

    async def take(self, arxiv_id: str, lang: Lang) -> str:
        """The paper's 140-character summary and link, and where its note went."""
        ...


class NoteTaker(Protocol):
    """Notes taken from the chat (``/note TEXT``)."""

    async def note(self, text: str, lang: Lang, via: str) -> str:
        """Where the note went, or why it could not be saved."""
        ...
