"""The planner: walks two snapshots kind by kind and collects the statements between them.

Each kind's module (:mod:`.schemas`, :mod:`.tables`, …) has a ``plan(p)`` that reads
``p.before`` and ``p.after`` and calls ``p.emit``. What one kind decides for another (a view
to recreate because a column it reads changes type) goes through the sets on the planner.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..catalog import Schema
from ..catalog.model import Table
from .deps import functions_of
from .model import Statement

RELATION_KINDS = ("table", "partitioned", "foreign")
VIEW_KINDS = ("view", "matview")


@dataclass
class Planner:
    """One direction of a diff: from ``before`` to ``after``."""

    before: Schema
    after: Schema
    statements: list[Statement] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # decided by one kind, read by another
    recreate_views: set = field(default_factory=set)
    recreate_policies: set = field(default_factory=set)
    recreate_triggers: set = field(default_factory=set)
    recreated_functions: set = field(default_factory=set)
    retyped_columns: set = field(default_factory=set)
    recast_columns: set = field(default_factory=set)  # moved to a recreated enum type
    recreated_types: set = field(default_factory=set)  # (schema, name) of recreated enums
    recreated_extensions: set = field(default_factory=set)
    dropped_columns: set = field(default_factory=set)
    moved_schemas: set = field(default_factory=set)  # (old, new) schema of a moved extension
    dropped: set = field(default_factory=set)  # (kind, schema, …, name) of what a DROP takes away
    reset_grants: set = field(default_factory=set)

    def __post_init__(self) -> None:
        self.old_tables = {t.key: t for t in self.before.objects.tables}
        self.new_tables = {t.key: t for t in self.after.objects.tables}
        self._emitted: set[tuple[str, int]] = set()
        self.rebuilt_tables = rebuilt(self.old_tables, self.new_tables)
        self.gone_tables = (self.old_tables.keys() - self.new_tables.keys()) | self.rebuilt_tables

    def emit(self, phase: int, sql: str, target: str, *, destructive: str = "",
             transactional: bool = True, order: int = 0) -> None:
        """Add one statement (``sql`` ends with ``;``)."""
        sql = sql.rstrip()
        if not sql.endswith(";"):
            sql += ";"
        if (sql, phase) in self._emitted:
            return  # two kinds asked for the same statement (an enum's column default, say)
        self._emitted.add((sql, phase))
        self.statements.append(Statement(sql, phase, target, destructive, transactional, order))

    def note(self, text: str) -> None:
        """Add a note for the reviewer (once)."""
        if text not in self.notes:
            self.notes.append(text)

    # --- tables -------------------------------------------------------------------------------

    def kept_tables(self, kinds=RELATION_KINDS) -> list[tuple[Table, Table]]:
        """``(old, new)`` for each table in both snapshots, both of one of ``kinds`` (and not
        rebuilt)."""
        kept = (self.old_tables.keys() & self.new_tables.keys()) - self.rebuilt_tables
        return [(self.old_tables[k], self.new_tables[k]) for k in sorted(kept)
                if self.old_tables[k].kind in kinds and self.new_tables[k].kind in kinds]

    def added_tables(self, kinds=RELATION_KINDS) -> list[Table]:
        """The tables of ``kinds`` this migration creates (rebuilt ones too)."""
        made = (self.new_tables.keys() - self.old_tables.keys()) | self.rebuilt_tables
        return [self.new_tables[k] for k in sorted(made) if self.new_tables[k].kind in kinds]

    def removed_tables(self, kinds=RELATION_KINDS) -> list[Table]:
        """The tables of ``kinds`` this migration drops (rebuilt ones too)."""
        gone = (self.old_tables.keys() - self.new_tables.keys()) | self.rebuilt_tables
        return [self.old_tables[k] for k in sorted(gone) if self.old_tables[k].kind in kinds]

    def calls_recreated_function(self, sql: str | None) -> bool:
        """Whether ``sql`` calls a function this migration drops and creates again."""
        if not sql or not self.recreated_functions:
            return False
        names = {name for _, name in self.recreated_functions}
        return any(name in names for _, name in functions_of(sql))

    def is_new(self, key) -> bool:
        """Whether relation ``key`` is created by this migration (absent before, or rebuilt)."""
        return key not in self.old_tables or key in self.rebuilt_tables

    def is_gone(self, key) -> bool:
        """Whether relation ``key`` is dropped by this migration (absent after, or rebuilt)."""
        return key in self.gone_tables

    def ordered(self) -> tuple[Statement, ...]:
        """The statements in the order they run."""
        indexed = list(enumerate(self.statements))
        indexed.sort(key=lambda pair: (pair[1].phase, pair[1].order, pair[0]))
        return tuple(s for _, s in indexed)


def rebuilt(old: dict, new: dict) -> set:
    """The relations in both snapshots that PostgreSQL cannot change in place, so they are
    dropped and created again: a change of kind (table, partitioned table, view,
    materialized view) or of partition key, and the partitions of a rebuilt table."""
    found = {k for k in old.keys() & new.keys()
             if old[k].kind != new[k].kind or old[k].partition_key != new[k].partition_key}
    grew = True
    while grew:
        grew = False
        for key in (old.keys() & new.keys()) - found:
            parents = {tuple(t.partition_of) for t in (old[key], new[key]) if t.partition_of}
            if parents & found:
                found.add(key)
                grew = True
    return found
