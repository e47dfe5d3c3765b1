"""Dates as users say them ("6/30", "6月30日", "June 30") and as notes write them."""

from __future__ import annotations

import re

_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
DATE = re.compile(
    r"(?P<m>\d{1,2})\s*[/月]\s*(?P<d>\d{1,2})|(?P<mon>[A-Za-z]{3})[a-z]*\.?\s+(?P<d2>\d{1,2})\b"
)


def dates_in(text: str) -> list[tuple[int, int]]:
    """(month, day) pairs the text mentions."""
    found = []
    for m in DATE.finditer(text):
        if m["m"]:
            found.append((int(m["m"]), int(m["d"])))
        elif m["mon"] and m["mon"].lower() in _MONTHS:
            found.append((_MONTHS.index(m["mon"].lower()) + 1, int(m["d2"])))
    return [(mo, d) for mo, d in found if 1 <= mo <= 12 and 1 <= d <= 31]


def has_date(text: str, date: tuple[int, int]) -> bool:
    """Does the text carry this month and day ("2025-06-30", "6/30", "6月30日")?"""
    month, day = date
    return re.search(rf"(?<!\d)0?{month}\s*[-/月.]\s*0?{day}(?!\d)", text) is not None
