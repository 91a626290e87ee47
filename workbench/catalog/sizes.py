"""Byte counts for people: ``human_size(16384) == "16 kB"``, like ``pg_size_pretty``."""
from __future__ import annotations

UNITS = ("bytes", "kB", "MB", "GB", "TB", "PB")


def human_size(size: int | None) -> str | None:
    """``size`` in the largest unit that keeps the number at 10 or more (``None`` stays ``None``)."""
    if size is None:
        return None
    value, unit = float(size), 0
    while abs(value) >= 10 * 1024 and unit < len(UNITS) - 1:
        value /= 1024
        unit += 1
    return f"{value:.0f} {UNITS[unit]}"
