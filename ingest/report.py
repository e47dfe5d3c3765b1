"""What an ingest run did, and why it started over."""

from __future__ import annotations

from dataclasses import dataclass, field


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
