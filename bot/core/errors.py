"""A small typed error hierarchy; adapters translate library errors into these."""

from __future__ import annotations


class NotesbotError(Exception):
    """Base class; ``str(exc)`` is safe to show to a user (no secrets, no stack)."""


class LLMError(NotesbotError):
    """The language model gave no usable answer (after retries, within the deadline)."""


class LLMTimeout(LLMError):
    """No first token (or a silence between tokens) within the configured timeout."""


class LLMUnavailable(LLMError):
    """Connection refused or dropped, 429/5xx after the retries, or a malformed reply."""
