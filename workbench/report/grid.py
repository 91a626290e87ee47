"""Tables of text from the shapes other stations return (DataFrames, lists of dicts)."""
from __future__ import annotations

from .model import Grid


def grid_of(table) -> Grid:
    """A :class:`Grid` of a pandas DataFrame (its index kept when it carries names) or of a
    list of dicts."""
    if hasattr(table, "itertuples"):
        frame = table if _plain_index(table) else table.reset_index()
        rows = tuple(tuple(text(v) for v in row) for row in frame.itertuples(index=False))
        return Grid(tuple(text(c) for c in frame.columns), rows)
    records = list(table)
    columns = tuple(dict.fromkeys(k for record in records for k in record))
    return Grid(tuple(map(text, columns)), tuple(tuple(text(r.get(c, "")) for c in columns) for r in records))


def _plain_index(frame) -> bool:
    index = frame.index
    return all(name is None for name in getattr(index, "names", [None])) and index.dtype.kind in "iu"


def text(value) -> str:
    """A cell as text: booleans as yes/no, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool) or getattr(getattr(value, "dtype", None), "kind", "") == "b":
        return "yes" if value else "no"
    return str(value)
