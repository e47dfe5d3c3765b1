"""Prompt templates from files (`prompts/<name>.<lang>.txt`), filled with `string.Template`."""

from __future__ import annotations

from pathlib import Path
from string import Template

from bot.core.answers import Lang
from bot.core.llm import Message

_SPLIT = "\n=== user ===\n"


class PromptError(ValueError):
    """A prompt file is missing, malformed or lacks a placeholder the code fills."""


class PromptBook:
    """Reads each template once; edits to the files apply on the next start."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._cache: dict[tuple[str, str], tuple[Template, Template]] = {}

    def messages(self, name: str, lang: Lang, **values: str) -> list[Message]:
        system, user = self._load(name, lang)
        try:
            return [
                {"role": "system", "content": system.substitute(values).strip()},
                {"role": "user", "content": user.substitute(values).strip()},
            ]
        except (KeyError, ValueError) as exc:
            raise PromptError(f"prompt {name}.{lang}.txt: bad placeholder {exc}") from exc

    def placeholders(self, name: str, lang: Lang) -> set[str]:
        return {
            ident for part in self._load(name, lang) for ident in part.get_identifiers()
        }

    def _load(self, name: str, lang: Lang) -> tuple[Template, Template]:
        key = (name, lang)
        if key not in self._cache:
            path = self._folder / f"{name}.{lang}.txt"
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise PromptError(f"prompt file {path} is unreadable: {exc.strerror}") from exc
            if _SPLIT not in text:
                raise PromptError(f"prompt file {path} has no '=== user ===' line")
            system, user = text.split(_SPLIT, 1)
            self._cache[key] = (Template(system), Template(user))
        return self._cache[key]
