"""Shared helpers for the benchmarks: JSQuAD loading, note files, settings, ingest compose."""

from __future__ import annotations

import json
import random
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

from bot.app import compose
from bot.app.compose import Index
from bot.app.settings import Settings
from ingest.pipeline import Ingestor
from ingest.progress import PlainProgress, ProgressReporter

BENCH_DIR = Path(__file__).resolve().parent
WORK_DIR = BENCH_DIR / ".work"
JSQUAD_DIR = BENCH_DIR.parent.parent / "shared" / "bench" / "jsquad"
SPLITS = ("valid-v1.3.json", "test-v1.3.json")


@dataclass(frozen=True, slots=True)
class Paragraph:
    title: str
    text: str

    @property
    def note(self) -> str:
        return f"# {self.title}\n\n{self.text}\n"


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    gold: int  # index of its paragraph


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def load_jsquad(folder: Path = JSQUAD_DIR) -> tuple[list[Paragraph], list[Question]]:
    """Every paragraph and question, in file order (valid then test)."""
    paragraphs: list[Paragraph] = []
    questions: list[Question] = []
    for split in SPLITS:
        data = json.loads((folder / split).read_text(encoding="utf-8"))
        for article in data["data"]:
            for para in article["paragraphs"]:
                title, _, text = para["context"].partition(" [SEP] ")
                gold = len(paragraphs)
                paragraphs.append(Paragraph(title.strip(), text.strip()))
                questions.extend(Question(qa["question"], gold) for qa in para["qas"])
    return paragraphs, questions


def sample_questions(questions: list[Question], n: int, seed: int = 0) -> list[Question]:
    return random.Random(seed).sample(questions, min(n, len(questions)))


def note_name(i: int) -> str:
    return f"{i:05d}.md"


def write_notes(paragraphs: list[Paragraph], notes_dir: Path) -> int:
    """Write one note per paragraph (only files whose content changed); drop extra files."""
    notes_dir.mkdir(parents=True, exist_ok=True)
    wanted = {note_name(i): p.note for i, p in enumerate(paragraphs)}
    written = 0
    for name, text in wanted.items():
        path = notes_dir / name
        data = text.encode("utf-8")
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
            written += 1
    for path in notes_dir.glob("*.md"):
        if path.name not in wanted:
            path.unlink()
    return written


def make_settings(notes_dir: Path, data_dir: Path, **overrides: object) -> Settings:
    """Settings as the CLI would build them, minus any local .env (benchmarks are reproducible)."""
    return Settings(_env_file=None, notes_dir=notes_dir, data_dir=data_dir, **overrides)


def make_ingestor(
    settings: Settings, index: Index, progress: ProgressReporter | None = None
) -> Ingestor:
    return compose.make_ingestor(settings, index, progress or PlainProgress())


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile, q in [0, 100]."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
