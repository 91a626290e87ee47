"""Numbers as people read them: row counts, durations, shares, sizes."""
from __future__ import annotations


def count(value: float | int | None) -> str:
    """A row or block count with thousands separators (``1,000,002``)."""
    if value is None:
        return "?"
    return f"{round(value):,}"


def ms(value: float | None) -> str:
    """A duration given in milliseconds, in the unit that reads best."""
    if value is None:
        return "?"
    if value >= 1000:
        return f"{value / 1000:.2f} s"
    if value >= 10:
        return f"{value:.0f} ms"
    return f"{value:.2f} ms"


def pct(value: float) -> str:
    """A share as a percentage (``93 %``, ``1.1 %``, ``<0.1 %``)."""
    percent = value * 100
    if 0 < percent < 0.1:
        return "<0.1 %"
    if percent < 10:
        return f"{percent:.1f} %"
    return f"{percent:.0f} %"


def size(num_bytes: float | int | None) -> str:
    """A size in bytes as kB, MB or GB (powers of 1024, as PostgreSQL's pg_size_pretty)."""
    if num_bytes is None:
        return "?"
    value = float(num_bytes)
    for unit in ("bytes", "kB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"


def ratio(before: float, after: float) -> str:
    """How many times cheaper or faster ``after`` is than ``before`` (``24x``)."""
    if after <= 0:
        return "∞x" if before > 0 else "1x"
    factor = before / after
    return f"{factor:,.1f}x" if factor < 10 else f"{factor:,.0f}x"
