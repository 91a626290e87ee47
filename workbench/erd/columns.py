"""Which columns of a table a diagram shows, and the key markers beside them."""
from __future__ import annotations

from ..catalog import Column, Table

MARKERS = ("PK", "FK", "UQ", "IX")


def markers(table: Table) -> dict[str, tuple[str, ...]]:
    """Column name → its markers: PK (primary key), FK (foreign key), UQ (unique on its own),
    IX (leads an index)."""
    found: dict[str, set[str]] = {c.name: set() for c in table.columns}
    for constraint in table.constraints:
        mark = {"primary key": "PK", "foreign key": "FK"}.get(constraint.kind)
        for name in constraint.columns if mark else ():
            add(found, name, mark)
        if constraint.kind == "unique" and len(constraint.columns) == 1:
            add(found, constraint.columns[0], "UQ")
    for index in table.indexes:
        if index.primary:
            continue
        lone_unique = index.unique and len(index.columns) == 1 and index.predicate is None
        add(found, index.columns[0], "UQ" if lone_unique else "IX")
    return {name: ordered(marks) for name, marks in found.items()}


def add(found: dict[str, set[str]], column: str, mark: str) -> None:
    if column in found:
        found[column].add(mark)


def ordered(marks: set[str]) -> tuple[str, ...]:
    """Markers in a fixed order; IX is left out where PK or UQ already says "indexed"."""
    if marks & {"PK", "UQ"}:
        marks = marks - {"IX"}
    return tuple(m for m in MARKERS if m in marks)


def shown_columns(table: Table, mode: str, hide_audit: bool, audit: tuple[str, ...],
                  marks: dict[str, tuple[str, ...]]) -> tuple[Column, ...]:
    """The columns to draw: all, keys only (PK, FK, unique, indexed) or none; audit ones hidden."""
    if mode == "none":
        return ()
    shown = []
    for column in table.columns:
        keys = marks.get(column.name, ())
        if mode == "keys" and not keys:
            continue
        if hide_audit and column.name in audit and "PK" not in keys:
            continue
        shown.append(column)
    return tuple(shown)


def legend_markers() -> list[tuple[str, str]]:
    """The key markers and what they mean, for the legend."""
    return [("PK", "primary key"), ("FK", "foreign key"), ("UQ", "unique"), ("IX", "indexed")]
