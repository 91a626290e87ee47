"""The catalog objects of a snapshot: frozen dataclasses holding tuples, comparable for equality.

Volatile facts (row and size estimates, column numbers left with gaps by dropped columns) are
kept but take no part in ``==``: two snapshots of the same design compare equal.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from .names import qualified

VOLATILE = {"compare": False}


@dataclass(frozen=True)
class Namespace:
    """A schema (namespace) of the database."""

    name: str
    owner: str
    comment: str | None = None


@dataclass(frozen=True)
class Column:
    """A column, in table order. ``identity`` is ``always`` or ``by default``; ``generated``
    holds the generation expression; ``position`` is PostgreSQL's column number."""

    name: str
    type: str
    nullable: bool = True
    default: str | None = None
    identity: str | None = None
    generated: str | None = None
    generated_kind: str | None = None
    collation: str | None = None
    comment: str | None = None
    position: int = field(default=0, **VOLATILE)


@dataclass(frozen=True)
class Constraint:
    """A primary key, unique, check or exclusion constraint (foreign keys: :class:`ForeignKey`)."""

    schema: str
    table: str
    name: str
    kind: str
    columns: tuple[str, ...] = ()
    definition: str = ""
    deferrable: bool = False
    deferred: bool = False
    validated: bool = True
    inherited: bool = False
    comment: str | None = None

    @property
    def table_key(self) -> tuple[str, str]:
        return (self.schema, self.table)


@dataclass(frozen=True)
class ForeignKey(Constraint):
    """A foreign key: ``columns`` of ``schema.table`` reference ``ref_columns`` of
    ``ref_schema.ref_table``."""

    kind: str = "foreign key"
    ref_schema: str = ""
    ref_table: str = ""
    ref_columns: tuple[str, ...] = ()
    on_update: str = "NO ACTION"
    on_delete: str = "NO ACTION"
    match: str = "SIMPLE"

    @property
    def ref_key(self) -> tuple[str, str]:
        return (self.ref_schema, self.ref_table)

    def covering_index(self, indexes: Iterable[Index]) -> Index | None:
        """The first valid, non-partial index whose leading key columns are this key's columns."""
        width = len(self.columns)
        for index in indexes:
            leading = set(index.columns[:width])
            if index.valid and index.predicate is None and leading == set(self.columns):
                return index
        return None


@dataclass(frozen=True)
class Index:
    """An index. ``columns`` holds key column names, or the expression text for expression keys.
    ``partition_of`` is ``(schema, name)`` of the partitioned index this index of a partition
    is attached to (it then comes and goes with that index)."""

    schema: str
    table: str
    name: str
    method: str
    columns: tuple[str, ...]
    definition: str
    include: tuple[str, ...] = ()
    predicate: str | None = None
    unique: bool = False
    primary: bool = False
    valid: bool = True
    constraint: str | None = None
    partition_of: tuple[str, str] | None = None
    comment: str | None = None
    size_bytes: int | None = field(default=None, **VOLATILE)

    @property
    def table_key(self) -> tuple[str, str]:
        return (self.schema, self.table)

    @property
    def key(self) -> tuple[str, str]:
        return (self.schema, self.name)


@dataclass(frozen=True)
class Policy:
    """A Row Level Security policy."""

    schema: str
    table: str
    name: str
    command: str
    permissive: bool = True
    roles: tuple[str, ...] = ("public",)
    using: str | None = None
    with_check: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class Trigger:
    """A user trigger (the internal triggers behind foreign keys are left out)."""

    schema: str
    table: str
    name: str
    timing: str
    events: tuple[str, ...]
    level: str
    function_schema: str
    function_name: str
    definition: str
    enabled: str = "origin"
    inherited: bool = False
    comment: str | None = None

    @property
    def function(self) -> str:
        return qualified(self.function_schema, self.function_name)


@dataclass(frozen=True)
class View:
    """The definition and security options of a view or materialized view."""

    schema: str
    name: str
    kind: str
    definition: str
    security_invoker: bool = False
    security_barrier: bool = False
    check_option: str | None = None
    populated: bool = True


@dataclass(frozen=True, repr=False)
class Table:
    """A table, partitioned table, view, materialized view or foreign table, with its parts.

    A partition names its partitioned parent in ``partition_of``; a child of classic
    inheritance (``INHERITS``) names its parents in ``inherits``."""

    schema: str
    name: str
    kind: str
    owner: str
    columns: tuple[Column, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    indexes: tuple[Index, ...] = ()
    policies: tuple[Policy, ...] = ()
    triggers: tuple[Trigger, ...] = ()
    rls_enabled: bool = False
    rls_forced: bool = False
    unlogged: bool = False
    partition_key: str | None = None
    partition_of: tuple[str, str] | None = None
    partition_bound: str | None = None
    inherits: tuple[tuple[str, str], ...] = ()
    options: tuple[str, ...] = ()
    view: View | None = None
    comment: str | None = None
    rows_estimate: int | None = field(default=None, **VOLATILE)
    size_bytes: int | None = field(default=None, **VOLATILE)

    @property
    def key(self) -> tuple[str, str]:
        return (self.schema, self.name)

    @property
    def qualname(self) -> str:
        """The quoted, schema-qualified name, ready for SQL."""
        return qualified(self.schema, self.name)

    @property
    def foreign_keys(self) -> tuple[ForeignKey, ...]:
        return tuple(c for c in self.constraints if isinstance(c, ForeignKey))

    @property
    def primary_key(self) -> Constraint | None:
        return next((c for c in self.constraints if c.kind == "primary key"), None)

    def column(self, name: str) -> Column:
        """The column called ``name`` (KeyError if there is none)."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.schema}.{self.name} has no column {name!r}")

    def __repr__(self) -> str:
        return (f"<Table {self.schema}.{self.name} ({self.kind}): {len(self.columns)} columns, "
                f"{len(self.indexes)} indexes, {len(self.policies)} policies>")

    def _repr_html_(self) -> str:
        from .display import table_html

        return table_html(self)


@dataclass(frozen=True)
class Sequence:
    """A sequence; ``owned_by`` is ``(schema, table, column)`` for serial and identity columns."""

    schema: str
    name: str
    type: str
    start: int
    increment: int
    min_value: int
    max_value: int
    cycle: bool
    owner: str
    owned_by: tuple[str, str, str] | None = None
    identity: bool = False
    comment: str | None = None


@dataclass(frozen=True)
class EnumType:
    """An enum type with its labels in order."""

    schema: str
    name: str
    labels: tuple[str, ...]
    owner: str
    comment: str | None = None


@dataclass(frozen=True)
class Function:
    """A function or procedure. ``arguments`` is the full argument list (names, defaults),
    ``argument_types`` the input types that tell overloads apart; ``config`` holds the
    function's ``SET`` entries such as ``search_path=…``."""

    schema: str
    name: str
    kind: str
    arguments: str
    identity_arguments: str
    argument_types: str
    returns: str | None
    language: str
    security_definer: bool
    volatility: str
    strict: bool
    owner: str
    config: tuple[str, ...] = ()
    definition: str | None = None
    comment: str | None = None

    @property
    def signature(self) -> str:
        """``schema.name(argument types)``: names one function among its overloads."""
        return f"{self.schema}.{self.name}({self.argument_types})"

    @property
    def search_path(self) -> str | None:
        """The function's own ``search_path`` setting, if it sets one."""
        for entry in self.config:
            name, _, value = entry.partition("=")
            if name == "search_path":
                return value
        return None


@dataclass(frozen=True)
class Extension:
    """An installed extension."""

    name: str
    version: str
    schema: str
    comment: str | None = None


@dataclass(frozen=True)
class Grant:
    """One privilege held by one grantee on a table, view, sequence, schema or function, or
    on one column of a table or view (``object_type`` ``column``, ``name`` the table and
    ``column`` the column)."""

    object_type: str
    schema: str
    name: str
    grantee: str
    privilege: str
    grantable: bool
    grantor: str
    column: str | None = None


@dataclass(frozen=True)
class DefaultPrivilege:
    """One default privilege (``ALTER DEFAULT PRIVILEGES``): what the objects of kind
    ``object_type`` (``table``, ``sequence``, ``function``, ``type``, ``schema``) that
    ``role`` creates later, in ``schema`` (None: anywhere), get beyond PostgreSQL's own
    defaults; ``revoked`` when it takes away one of those defaults instead."""

    role: str
    schema: str | None
    object_type: str
    grantee: str
    privilege: str
    grantable: bool = False
    revoked: bool = False
