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
    modules = [f"bot.core.{m.name}" for m in pkgutil.iter_modules(bot.core.__path__)]
    assert len(modules) >= 8
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


def test_modules_stay_well_under_300_lines():
    long = {
        str(path.relative_to(REPO)): n
        for folder in ("bot", "ingest", "bench")
        for path in (REPO / folder).rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 300
    }
    assert not long, long
