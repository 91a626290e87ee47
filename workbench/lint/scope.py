"""Facts several rules share, worked out once per lint run: which tables are in scope,
how partitions and inheritance children relate to their parents, which schemas the API
exposes, who may read a table, and each schema's tenant column.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from fnmatch import fnmatchcase
from functools import cached_property
from typing import Callable, Iterable

from ..catalog import Index, Schema, Table
from ..errors import WorkbenchError
from .config import LintConfig

BASE_KINDS = ("table", "partitioned")


def matches(patterns: Iterable[str], schema: str, name: str) -> bool:
    """Whether ``name`` or ``schema.name`` matches one of the fnmatch ``patterns``."""
    return any(fnmatchcase(name, p) or fnmatchcase(f"{schema}.{name}", p) for p in patterns)


class Scope:
    """What is linted, and the shared facts about it."""

    def __init__(self, schema: Schema, config: LintConfig):
        self.schema = schema
        self.config = config

    def in_scope(self, schema_name: str) -> bool:
        return schema_name not in self.config.skip_schemas

    @cached_property
    def tables(self) -> tuple[Table, ...]:
        """Base tables (plain and partitioned, not partitions) of the schemas in scope."""
        return tuple(t for t in self.schema.objects.tables
                     if t.kind in BASE_KINDS and t.partition_of is None and self.in_scope(t.schema))

    @cached_property
    def all_tables(self) -> tuple[Table, ...]:
        """:attr:`tables` and the partitions: every table of the schemas in scope, each
        with its own Row Level Security, policies, privileges and (partitions) indexes."""
        return tuple(t for t in self.schema.objects.tables
                     if t.kind in BASE_KINDS and self.in_scope(t.schema))

    @cached_property
    def views(self) -> tuple[Table, ...]:
        return tuple(t for t in self.schema.objects.tables
                     if t.view is not None and self.in_scope(t.schema))

    @cached_property
    def exposed_schemas(self) -> frozenset[str]:
        """The configured ``exposed_schemas``, else those the API roles (or PUBLIC) may use."""
        if self.config.exposed_schemas is not None:
            return frozenset(self.config.exposed_schemas)
        grantees = set(self.config.api_roles) | {"PUBLIC"}
        return frozenset(g.schema for g in self.schema.objects.grants
                         if g.object_type == "schema" and g.privilege == "USAGE"
                         and g.grantee in grantees and self.in_scope(g.schema))

    @cached_property
    def _privileges(self) -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
        found: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        for grant in self.schema.objects.grants:
            if grant.object_type in ("table", "view", "matview", "foreign table"):
                found[(grant.schema, grant.name)].append((grant.grantee, grant.privilege))
        return {key: tuple(value) for key, value in found.items()}

    def api_grantees(self, table: Table) -> tuple[str, ...]:
        """The API roles (and PUBLIC) holding any privilege on ``table``, sorted."""
        wanted = set(self.config.api_roles) | {"PUBLIC"}
        return tuple(sorted({g for g, _ in self._privileges.get(table.key, ()) if g in wanted}))

    def api_privileges(self, table: Table) -> frozenset[str]:
        """The privileges (``SELECT``, ``INSERT``…) the API roles or PUBLIC hold on ``table``."""
        wanted = set(self.config.api_roles) | {"PUBLIC"}
        return frozenset(p for g, p in self._privileges.get(table.key, ()) if g in wanted)

    def is_exposed(self, table: Table) -> bool:
        """In an exposed schema, and reachable by an API role."""
        return table.schema in self.exposed_schemas and bool(self.api_grantees(table))

    # --- partitions and inheritance --------------------------------------------------------

    @cached_property
    def _partitions(self) -> dict[tuple[str, str], tuple[Table, ...]]:
        found: dict[tuple[str, str], list[Table]] = defaultdict(list)
        for table in self.schema.objects.tables:
            if table.partition_of is not None:
                found[table.partition_of].append(table)
        return {key: tuple(value) for key, value in found.items()}

    def partitions_of(self, table: Table) -> tuple[Table, ...]:
        """The partitions of ``table`` (none unless it is partitioned)."""
        return self._partitions.get(table.key, ())

    def parents_of(self, table: Table) -> tuple[Table, ...]:
        """The partitioned table ``table`` is a partition of, or the tables it inherits from."""
        keys = (table.partition_of,) if table.partition_of else table.inherits
        return tuple(filter(None, map(self.table, keys)))

    def inherited_columns(self, table: Table) -> frozenset[str]:
        """The names of ``table``'s columns that come from a parent (all of a partition's)."""
        return frozenset(c.name for parent in self.parents_of(table) for c in parent.columns)

    def throughout(self, table: Table, test: Callable[[Table], bool]) -> bool:
        """Whether ``test`` holds for ``table`` or, for a partitioned table, for every one of
        its partitions (recursively): what queries on the parent actually meet."""
        if test(table):
            return True
        partitions = self.partitions_of(table)
        return bool(partitions) and all(self.throughout(p, test) for p in partitions)

    @cached_property
    def _attached(self) -> dict[tuple[str, str], tuple[tuple[Table, Index], ...]]:
        found: dict[tuple[str, str], list[tuple[Table, Index]]] = defaultdict(list)
        for table in self.schema.objects.tables:
            for index in table.indexes:
                if index.partition_of is not None:
                    found[index.partition_of].append((table, index))
        return {key: tuple(value) for key, value in found.items()}

    def attached_to(self, index: Index) -> tuple[tuple[Table, Index], ...]:
        """The indexes of partitions attached to the partitioned index ``index``, with their
        tables."""
        return self._attached.get(index.key, ())

    # --- tenancy ----------------------------------------------------------------------------

    @cached_property
    def tenant_columns(self) -> dict[str, str]:
        """Each schema's tenant column: the configured name most of its tables carry."""
        by_schema: dict[str, list[Table]] = defaultdict(list)
        for table in self.tables:
            by_schema[table.schema].append(table)
        found = {}
        for name, tables in by_schema.items():
            column = majority_column(tables, self.config.tenant_columns)
            if column:
                found[name] = column
        return found

    def tenant_column(self, table: Table) -> str | None:
        """The tenant column of ``table``'s schema (whether or not the table has it)."""
        return self.tenant_columns.get(table.schema)

    def is_tenant_table(self, table: Table) -> bool:
        """A table carrying its schema's tenant column."""
        column = self.tenant_column(table)
        return column is not None and has_column(table, column)

    @cached_property
    def tenant_roots(self) -> frozenset[tuple[str, str]]:
        """The tables the tenant columns reference (the tenants themselves)."""
        roots = set()
        for table in self.tables:
            column = self.tenant_column(table)
            for fk in table.foreign_keys:
                if column and fk.columns == (column,):
                    roots.add(fk.ref_key)
        return frozenset(roots)

    def is_tenant_exempt(self, table: Table) -> bool:
        return table.key in self.tenant_roots or matches(self.config.tenant_exempt, *table.key)

    def table(self, key: tuple[str, str]) -> Table | None:
        """The table with ``key`` in the snapshot, or None."""
        try:
            return self.schema.table(key)
        except WorkbenchError:
            return None


def has_column(table: Table, name: str) -> bool:
    return any(c.name == name for c in table.columns)


def majority_column(tables: list[Table], candidates: Iterable[str]) -> str | None:
    """The candidate column most of ``tables`` (at least half, at least two) carry."""
    counts = Counter(c for t in tables for c in candidates if has_column(t, c))
    best = max(candidates, key=lambda c: counts[c], default=None)
    if best is None or counts[best] < 2 or counts[best] * 2 < len(tables):
        return None
    return best
