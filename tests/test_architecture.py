"""The core stays pure: no Slack, Telegram, openai, Chroma or llama-index, even transitively."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import bot.core

FORBIDDEN = ("slack_bolt", "slack_sdk", "telegram", "openai", "chromadb", "llama_index")
REPO = Path(__file__).resolve().parents[1]


def test_core_modules_import_no_platform_or_store_library():
    modules = [m.name for m in pkgutil.walk_packages(bot.core.__path__, "bot.core.")]
    assert len(modules) >= 30
    probe = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=True
    )
    loaded = set(json.loads(result.stdout))
    assert not loaded & set(FORBIDDEN), sorted(loaded & set(FORBIDDEN))


def lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_modules_stay_within_250_lines():
    long = {
        str(path.relative_to(REPO)): n
        for folder in ("bot", "ingest", "bench")
        for path in (REPO / folder).rglob("*.py")
        if (n := lines(path)) > 250
    }
    assert not long, long


def test_bot_top_level_holds_only_packages():
    loose = [p.name for p in (REPO / "bot").iterdir() if p.suffix == ".py"]
    assert loose == ["__init__.py"], loose
    packages = {p.name for p in (REPO / "bot").iterdir() if (p / "__init__.py").exists()}
    assert packages >= {"core", "index", "llm", "platforms", "digest", "state", "app", "ops", "cli"}


def test_only_the_composition_root_and_the_cli_read_settings():
    readers = sorted(
        str(path.relative_to(REPO))
        for path in (REPO / "bot").rglob("*.py")
        if "Settings" in path.read_text(encoding="utf-8")
        and path.parts[len(REPO.parts) + 1] not in ("app", "cli")
    )
    assert not readers, readers


def test_platform_adapters_stay_thin():
    for name in ("slack", "telegram"):
        total = sum(lines(p) for p in (REPO / "bot" / "platforms" / name).glob("*.py"))
        # The SDK error translation lives in dialects; 480 since /note and arXiv links in DMs.
        assert total <= 480, (name, total)
