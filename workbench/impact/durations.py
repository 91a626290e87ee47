"""Durations as people write them on a command line: ``500ms``, ``2s``, ``1.5s``, ``2min``."""
from __future__ import annotations

import re

from ..errors import WorkbenchError

UNITS_MS = {"ms": 1.0, "s": 1000.0, "min": 60_000.0, "m": 60_000.0, "h": 3_600_000.0}
PATTERN = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|min|m|h)\s*", re.IGNORECASE)


def parse_duration(text: str) -> float:
    """Milliseconds in ``text`` (a number and a unit: ms, s, min or h)."""
    found = PATTERN.fullmatch(text or "")
    if not found:
        raise WorkbenchError(f"bad duration {text!r}",
                             hint="give a number and a unit, such as 500ms, 2s, 1.5s or 2min")
    return float(found.group(1)) * UNITS_MS[found.group(2).lower()]
