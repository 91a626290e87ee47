"""A schema diff with the parts of added and removed tables spelled out (columns, indexes,
constraints, policies, triggers, RLS), so a new table's review shows what it brings."""
from __future__ import annotations

from ..catalog.diff import PART_KINDS, TABLE_PARTS


def part_rows(change) -> list[dict]:
    """One row per part of a table that was added or removed."""
    table = change.after if change.action == "added" else change.before
    rows = []
    for part in TABLE_PARTS:
        for item in getattr(table, part, ()):
            rows.append({"action": change.action, "kind": PART_KINDS[part],
                         "name": f"{change.name}.{item.name}", "fields": ""})
    if table is not None and table.rls_enabled:
        rows.append({"action": change.action, "kind": "row level security",
                     "name": change.name, "fields": "enabled"})
    return rows


def changes_frame(diff):
    """DataFrame: action, kind, name, fields; an added table is followed by its parts."""
    import pandas as pd

    rows = []
    for change in diff:
        rows.append({"action": change.action, "kind": change.kind, "name": change.name,
                     "fields": ", ".join(change.fields)})
        if change.kind == "table" and change.action in ("added", "removed"):
            rows += part_rows(change)
    return pd.DataFrame(rows, columns=["action", "kind", "name", "fields"])
