"""What an ingest run did, and why it started over."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.notes import ChunkingOptions
    from bot.index.embedders import Embedder
    from bot.index.tokenizer import JapaneseTokenizer


def index_fingerprint(
    options: ChunkingOptions, embedder: Embedder, tokenizer: JapaneseTokenizer
) -> str:
    """What the index was built with; a change means the next ingest rebuilds it."""
    return f"{options.fingerprint()}|{embedder.name}|{tokenizer.version}"


class VectorIndexBroken(RuntimeError):
    """Chroma cannot read its own index (e.g. chroma #7090 after a restart)."""


@dataclass(slots=True)
class IngestReport:
    indexed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    unsettled: list[str] = field(default_factory=list)  # changed while read: for a later pass
    chunks: int = 0
    rebuilt: bool = False
    rebuild_reason: str = ""
    repaired: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return bool(self.indexed) or self.unchanged > 0



def rebuild_reason(asked: bool, old: str | None, new: str) -> str:
    """Why the index starts over, in the terms of what changed."""
    if asked:
        return "--rebuild"
    if old is None:
        return "new index"
    before, after = old.split("|"), new.split("|")
    names = ("chunk settings", "embedder", "tokenizer")
    changes = [
        f"{name} {was} → {now}"
        for name, was, now in zip(names, before, after, strict=False)
        if was != now
    ]
    return "; ".join(changes) or f"built as {old}"
