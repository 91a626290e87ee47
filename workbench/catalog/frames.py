"""Snapshot objects → pandas DataFrames for notebooks: one row per object, stable order.

Lists of names (columns, roles, labels) are shown joined with ``", "``; the objects in
``schema.objects`` keep them as tuples.
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from .model import ForeignKey, Index, Table
from .objects import Objects
from .sizes import human_size

SCHEMAS = ["schema", "owner", "tables", "views", "functions", "comment"]
TABLES = ["schema", "name", "kind", "owner", "rows_estimate", "size", "size_bytes", "columns",
          "indexes", "rls_enabled", "rls_forced", "policies", "triggers", "partition_of", "comment"]
COLUMNS = ["schema", "table", "position", "name", "type", "nullable", "default", "identity",
           "generated", "collation", "comment"]
CONSTRAINTS = ["schema", "table", "name", "kind", "columns", "definition", "deferrable",
               "deferred", "validated", "comment"]
FOREIGN_KEYS = ["schema", "table", "name", "columns", "ref_schema", "ref_table", "ref_columns",
                "on_update", "on_delete", "match", "deferrable", "deferred", "validated", "indexed"]
INDEXES = ["schema", "table", "name", "method", "columns", "include", "predicate", "unique",
           "primary", "valid", "constraint", "size", "size_bytes", "definition"]
POLICIES = ["schema", "table", "name", "command", "permissive", "roles", "using", "with_check"]
TRIGGERS = ["schema", "table", "name", "timing", "events", "level", "function", "enabled",
            "definition"]
VIEWS = ["schema", "name", "kind", "owner", "security_invoker", "security_barrier",
         "check_option", "populated", "definition", "comment"]
FUNCTIONS = ["schema", "name", "kind", "arguments", "returns", "language", "security_definer",
             "volatility", "strict", "search_path", "owner", "comment"]
GRANTS = ["object_type", "schema", "name", "column", "grantee", "privilege", "grantable", "grantor"]
DEFAULT_PRIVILEGES = ["role", "schema", "object_type", "grantee", "privilege", "grantable",
                      "revoked"]
ENUMS = ["schema", "name", "labels", "owner", "comment"]
SEQUENCES = ["schema", "name", "type", "start", "increment", "min_value", "max_value", "cycle",
             "owned_by", "identity", "owner"]
EXTENSIONS = ["name", "version", "schema", "comment"]
NULLABLE_INTEGERS = ("rows_estimate", "size_bytes")


def frame(rows: Iterable[dict], columns: list[str]):
    """A DataFrame with exactly ``columns``, even when there are no rows. Text columns have
    the ``string`` dtype and integer columns that may lack a value ``Int64``, so a missing
    value always shows as ``<NA>``."""
    import pandas as pd

    df = pd.DataFrame(list(rows), columns=columns)
    for name in df.columns:
        if name in NULLABLE_INTEGERS:
            df[name] = df[name].astype("Int64")
        elif not (pd.api.types.is_bool_dtype(df[name]) or pd.api.types.is_integer_dtype(df[name])):
            df[name] = df[name].astype("string")
    return df


def joined(names: Iterable[str]) -> str:
    """Names shown in one cell: ``"id, name"``."""
    return ", ".join(names)


def schemas_frame(objects: Objects):
    """One row per schema, with counts of its tables, views and functions."""
    tables = Counter(t.schema for t in objects.tables if t.view is None)
    views = Counter(t.schema for t in objects.tables if t.view is not None)
    functions = Counter(f.schema for f in objects.functions)
    return frame(({"schema": s.name, "owner": s.owner, "tables": tables[s.name],
                   "views": views[s.name], "functions": functions[s.name], "comment": s.comment}
                  for s in objects.schemas), SCHEMAS)


def tables_frame(objects: Objects):
    """One row per table, view, materialized view or foreign table."""
    return frame((table_row(t) for t in objects.tables), TABLES)


def table_row(t: Table) -> dict:
    """The :func:`tables_frame` row of one table."""
    parent = ".".join(t.partition_of) if t.partition_of else None
    return {"schema": t.schema, "name": t.name, "kind": t.kind, "owner": t.owner,
            "rows_estimate": t.rows_estimate, "size": human_size(t.size_bytes),
            "size_bytes": t.size_bytes, "columns": len(t.columns), "indexes": len(t.indexes),
            "rls_enabled": t.rls_enabled, "rls_forced": t.rls_forced,
            "policies": len(t.policies), "triggers": len(t.triggers),
            "partition_of": parent, "comment": t.comment}


def columns_frame(tables: Iterable[Table]):
    """One row per column of ``tables``, in table order then column order."""
    return frame(({"schema": t.schema, "table": t.name, "position": c.position, "name": c.name,
                   "type": c.type, "nullable": c.nullable, "default": c.default,
                   "identity": c.identity, "generated": c.generated, "collation": c.collation,
                   "comment": c.comment} for t in tables for c in t.columns), COLUMNS)


def constraints_frame(objects: Objects):
    """One row per constraint, foreign keys included."""
    return frame(({"schema": c.schema, "table": c.table, "name": c.name, "kind": c.kind,
                   "columns": joined(c.columns), "definition": c.definition,
                   "deferrable": c.deferrable, "deferred": c.deferred, "validated": c.validated,
                   "comment": c.comment} for c in objects.constraints), CONSTRAINTS)


def foreign_keys_frame(objects: Objects):
    """One row per foreign key; ``indexed``: does an index lead with its columns?"""
    return frame((foreign_key_row(fk, t.indexes) for t in objects.tables for fk in t.foreign_keys),
                 FOREIGN_KEYS)


def foreign_key_row(fk: ForeignKey, indexes: tuple[Index, ...]) -> dict:
    """The :func:`foreign_keys_frame` row of one foreign key."""
    return {"schema": fk.schema, "table": fk.table, "name": fk.name, "columns": joined(fk.columns),
            "ref_schema": fk.ref_schema, "ref_table": fk.ref_table,
            "ref_columns": joined(fk.ref_columns), "on_update": fk.on_update,
            "on_delete": fk.on_delete, "match": fk.match, "deferrable": fk.deferrable,
            "deferred": fk.deferred, "validated": fk.validated,
            "indexed": fk.covering_index(indexes) is not None}


def indexes_frame(objects: Objects):
    """One row per index."""
    return frame(({"schema": i.schema, "table": i.table, "name": i.name, "method": i.method,
                   "columns": joined(i.columns), "include": joined(i.include),
                   "predicate": i.predicate, "unique": i.unique, "primary": i.primary,
                   "valid": i.valid, "constraint": i.constraint, "size": human_size(i.size_bytes),
                   "size_bytes": i.size_bytes, "definition": i.definition}
                  for i in objects.indexes), INDEXES)


def policies_frame(objects: Objects):
    """One row per policy; ``permissive`` reads PERMISSIVE or RESTRICTIVE, as in pg_policies."""
    return frame(({"schema": p.schema, "table": p.table, "name": p.name, "command": p.command,
                   "permissive": "PERMISSIVE" if p.permissive else "RESTRICTIVE",
                   "roles": joined(p.roles), "using": p.using, "with_check": p.with_check}
                  for p in objects.policies), POLICIES)


def triggers_frame(objects: Objects):
    """One row per user trigger."""
    return frame(({"schema": g.schema, "table": g.table, "name": g.name, "timing": g.timing,
                   "events": " OR ".join(g.events), "level": g.level, "function": g.function,
                   "enabled": g.enabled, "definition": g.definition}
                  for g in objects.triggers), TRIGGERS)


def views_frame(objects: Objects):
    """One row per view or materialized view."""
    return frame(({"schema": t.schema, "name": t.name, "kind": t.kind, "owner": t.owner,
                   "security_invoker": t.view.security_invoker,
                   "security_barrier": t.view.security_barrier,
                   "check_option": t.view.check_option, "populated": t.view.populated,
                   "definition": t.view.definition, "comment": t.comment}
                  for t in objects.tables if t.view is not None), VIEWS)


def functions_frame(objects: Objects):
    """One row per function or procedure."""
    return frame(({"schema": f.schema, "name": f.name, "kind": f.kind, "arguments": f.arguments,
                   "returns": f.returns, "language": f.language,
                   "security_definer": f.security_definer, "volatility": f.volatility,
                   "strict": f.strict, "search_path": f.search_path, "owner": f.owner,
                   "comment": f.comment} for f in objects.functions), FUNCTIONS)


def grants_frame(objects: Objects):
    """One row per grantee and privilege (``column`` set for a column's privileges)."""
    return frame((vars(g) for g in objects.grants), GRANTS)


def default_privileges_frame(objects: Objects):
    """One row per default privilege (``ALTER DEFAULT PRIVILEGES``) granted or revoked."""
    return frame((vars(d) for d in objects.default_privileges), DEFAULT_PRIVILEGES)


def enums_frame(objects: Objects):
    """One row per enum type; ``labels`` in their sort order."""
    return frame(({"schema": e.schema, "name": e.name, "labels": joined(e.labels),
                   "owner": e.owner, "comment": e.comment} for e in objects.enums), ENUMS)


def sequences_frame(objects: Objects):
    """One row per sequence; ``owned_by`` is the owning column as ``schema.table.column``."""
    return frame(({**{name: getattr(s, name) for name in SEQUENCES if name != "owned_by"},
                   "owned_by": ".".join(s.owned_by) if s.owned_by else None}
                  for s in objects.sequences), SEQUENCES)


def extensions_frame(objects: Objects):
    """One row per installed extension."""
    return frame((vars(e) for e in objects.extensions), EXTENSIONS)

