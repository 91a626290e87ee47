"""What a rule knows about the statement it looks at: its number, the table it names (as
written and, with a schema snapshot, as the catalog has it), the names already taken and
the tables the migration itself creates."""
from __future__ import annotations

from dataclasses import dataclass, field

from pglast import ast

from ..catalog.names import derived_name
from ..errors import WorkbenchError
from .sqlforms import relation


@dataclass
class Context:
    """One statement of the migration, seen by the rules. ``taken`` grows as rules name new
    constraints, indexes and columns, so two rules never pick the same name."""

    number: int
    stmt: ast.Node
    schema: object | None = None
    taken: set[str] = field(default_factory=set)
    created: set[tuple[str | None, str]] = field(default_factory=set)

    @property
    def rangevar(self) -> ast.RangeVar:
        return self.stmt.relation

    @property
    def table_sql(self) -> str:
        """The table as the statement names it (``ONLY`` kept)."""
        return relation(self.rangevar)

    @property
    def whole_table_sql(self) -> str:
        """The table without ``ONLY`` (for triggers)."""
        return relation(self.rangevar, only=False)

    @property
    def table_name(self) -> str:
        return self.rangevar.relname

    @property
    def table_schema(self) -> str | None:
        return self.rangevar.schemaname

    @property
    def table(self):
        """The catalog's table, or None (no snapshot, or no such table yet)."""
        if self.schema is None:
            return None
        rv = self.rangevar
        try:
            return self.schema.table((rv.schemaname, rv.relname) if rv.schemaname else rv.relname)
        except WorkbenchError:  # missing, or a bare name found in several schemas
            return None

    @property
    def is_new(self) -> bool:
        """Whether an earlier statement of the migration creates the table (nobody else sees
        it yet: no lock on it can make anyone wait)."""
        rv = self.rangevar
        return (rv.schemaname, rv.relname) in self.created or (None, rv.relname) in self.created

    @property
    def partitioned(self) -> bool:
        """Whether the snapshot shows a partitioned table."""
        table = self.table
        return table is not None and table.kind == "partitioned"

    def column(self, name: str):
        """The catalog's column of the table, or None."""
        table = self.table
        return next((c for c in table.columns if c.name == name), None) if table else None

    def new_name(self, parts, suffix: str) -> str:
        """A free ``part_part_suffix`` name (63 bytes at most), taken from now on."""
        name = derived_name(parts, suffix, self.taken)
        self.taken.add(name)
        return name


def taken_names(schema) -> set[str]:
    """Every relation and constraint name of the snapshot (empty without one)."""
    if schema is None:
        return set()
    objects = schema.objects
    names = {t.name for t in objects.tables} | {i.name for i in objects.indexes}
    names |= {s.name for s in objects.sequences} | {c.name for c in objects.constraints}
    return names | {f.name for f in objects.functions} | {g.name for g in objects.triggers}
