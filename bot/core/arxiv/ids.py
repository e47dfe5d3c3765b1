"""An arXiv paper named by a message on its own: a link, ``arXiv:ID`` or the bare id."""

from __future__ import annotations

import re

_NEW = r"\d{4}\.\d{4,5}"  # 2503.09419
_OLD = r"[a-z][a-z\-]*(?:\.[a-z]{2})?/\d{7}"  # hep-th/9901001, math.GT/0309136
_ALONE = re.compile(
    r"^\s*<?\s*(?:(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/|arxiv:\s*)?"
    rf"(?P<id>{_NEW}|{_OLD})(?:v\d+)?(?:\.pdf)?/?(?:\|[^>]*)?\s*>?\s*$",  # Slack: <url|label>
    re.IGNORECASE,
)


def arxiv_id_alone(text: str) -> str | None:
    """The id (without version) when ``text`` is nothing but an arXiv link or id."""
    found = _ALONE.match(text)
    return found["id"] if found else None
