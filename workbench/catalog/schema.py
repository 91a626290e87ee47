"""``Schema``: an immutable snapshot of a database's user schemas.

The objects live in ``schema.objects`` (tuples of frozen dataclasses). The snapshot finds
them by name (``schema.table("nursery.orders")``), answers relationship questions
(``schema.referenced_by(...)``) and shows them as DataFrames (``schema.tables``).
Two snapshots compare equal when the design is the same, whatever the database name,
server version, row estimates or sizes.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from . import display, frames, serialize
from .lookup import Directory, function_names
from .model import EnumType, ForeignKey, Function, Grant, Index, Policy, Sequence, Table, Trigger, View
from .objects import Objects


NOT_RELATIONS = ("schema", "function", "sequence")  # grants on objects that are not a table's


@dataclass(frozen=True, repr=False)
class Schema:
    """A snapshot of every user schema of one database, taken by :func:`workbench.inspect`."""

    database: str = field(compare=False)
    server_version: str = field(compare=False)
    server_version_num: int = field(compare=False)
    objects: Objects = field(default_factory=Objects)

    # --- finding objects -------------------------------------------------------------------

    def table(self, name) -> Table:
        """The table (or view…) ``name``: ``"schema.table"``, ``("schema", "table")``, a bare
        name, or any SQL spelling of it."""
        return self._directories["table"].find(name)

    def view(self, name) -> View:
        """The definition and options of view or materialized view ``name``."""
        return self._directories["view"].find(name).view

    def function(self, name) -> Function:
        """The function ``name`` (``"schema.f"``, or ``"schema.f(integer, text)"`` for overloads)."""
        return self._directories["function"].find(name)

    def enum(self, name) -> EnumType:
        """The enum type ``name``."""
        return self._directories["enum"].find(name)

    def sequence(self, name) -> Sequence:
        """The sequence ``name``."""
        return self._directories["sequence"].find(name)

    # --- relationships ---------------------------------------------------------------------

    def foreign_keys_of(self, table) -> tuple[ForeignKey, ...]:
        """The foreign keys declared on ``table`` (what it references)."""
        return self.table(table).foreign_keys

    def referenced_by(self, table) -> tuple[ForeignKey, ...]:
        """The foreign keys, on any table, that reference ``table``."""
        return self._referencing.get(self.table(table).key, ())

    def indexes_of(self, table) -> tuple[Index, ...]:
        """The indexes on ``table``."""
        return self.table(table).indexes

    def policies_of(self, table) -> tuple[Policy, ...]:
        """The Row Level Security policies on ``table``."""
        return self.table(table).policies

    def triggers_of(self, table) -> tuple[Trigger, ...]:
        """The user triggers on ``table``."""
        return self.table(table).triggers

    def grants_on(self, table) -> tuple[Grant, ...]:
        """The privileges granted on ``table`` and on its columns."""
        found = self.table(table)
        return tuple(g for g in self.objects.grants
                     if (g.schema, g.name) == found.key and g.object_type not in NOT_RELATIONS)

    def describe(self, table) -> dict:
        """Everything about ``table`` as plain data: its columns, constraints, indexes,
        policies and triggers, the foreign keys that reference it, and its grants."""
        return serialize.table_description(self, self.table(table))

    # --- DataFrames --------------------------------------------------------------------------

    @property
    def schemas(self):
        """DataFrame: one row per schema."""
        return frames.schemas_frame(self.objects)

    @property
    def tables(self):
        """DataFrame: one row per table, view, materialized view or foreign table."""
        return frames.tables_frame(self.objects)

    def columns(self, table=None):
        """DataFrame: the columns of ``table``, or of every table."""
        tables = (self.table(table),) if table is not None else self.objects.tables
        return frames.columns_frame(tables)

    @property
    def constraints(self):
        """DataFrame: every constraint (primary key, unique, check, exclusion, foreign key)."""
        return frames.constraints_frame(self.objects)

    @property
    def foreign_keys(self):
        """DataFrame: every foreign key, with whether an index covers its columns."""
        return frames.foreign_keys_frame(self.objects)

    @property
    def indexes(self):
        """DataFrame: every index."""
        return frames.indexes_frame(self.objects)

    @property
    def policies(self):
        """DataFrame: every Row Level Security policy."""
        return frames.policies_frame(self.objects)

    @property
    def triggers(self):
        """DataFrame: every user trigger."""
        return frames.triggers_frame(self.objects)

    @property
    def views(self):
        """DataFrame: every view and materialized view."""
        return frames.views_frame(self.objects)

    @property
    def functions(self):
        """DataFrame: every function and procedure."""
        return frames.functions_frame(self.objects)

    @property
    def grants(self):
        """DataFrame: every privilege granted, one row per grantee and privilege (and column)."""
        return frames.grants_frame(self.objects)

    @property
    def default_privileges(self):
        """DataFrame: every default privilege (``ALTER DEFAULT PRIVILEGES``), granted or revoked."""
        return frames.default_privileges_frame(self.objects)

    @property
    def enums(self):
        """DataFrame: every enum type."""
        return frames.enums_frame(self.objects)

    @property
    def sequences(self):
        """DataFrame: every sequence."""
        return frames.sequences_frame(self.objects)

    @property
    def extensions(self):
        """DataFrame: every installed extension."""
        return frames.extensions_frame(self.objects)

    # --- display and serialisation -------------------------------------------------------------

    def __repr__(self) -> str:
        return display.schema_repr(self)

    def _repr_html_(self) -> str:
        return display.schema_html(self)

    def summary_text(self) -> str:
        """A plain-text summary: counts per schema and the RLS overview."""
        return display.summary_text(self)

    def to_dict(self) -> dict:
        """A JSON-serialisable form; :meth:`from_dict` reads it back."""
        return serialize.schema_to_dict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Schema:
        """The snapshot :meth:`to_dict` wrote."""
        return serialize.schema_from_dict(cls, data)

    # --- indexes over the objects, built on first use ------------------------------------------

    @cached_property
    def _directories(self) -> dict[str, Directory]:
        tables = self.objects.tables
        return {
            "table": Directory("table", tables),
            "view": Directory("view", [t for t in tables if t.view is not None]),
            "function": Directory("function", self.objects.functions, function_names),
            "enum": Directory("enum", self.objects.enums),
            "sequence": Directory("sequence", self.objects.sequences),
        }

    @cached_property
    def _referencing(self) -> dict[tuple[str, str], tuple[ForeignKey, ...]]:
        found: dict[tuple[str, str], list[ForeignKey]] = defaultdict(list)
        for fk in self.objects.foreign_keys:
            found[fk.ref_key].append(fk)
        return {key: tuple(fks) for key, fks in found.items()}
