"""Security rules beyond policies: definer functions and views, secrets in plain text,
extensions in ``public``."""
from __future__ import annotations

from fnmatch import fnmatchcase

import pglast
from pglast import ast

from ...catalog import Column, Table
from ..fixes import companion_column, move_extension, pin_search_path, security_invoker
from ..policy_sql import walk
from ..registry import rule

TEXT_TYPES = ("text", "character varying", "character", "varchar", "citext", "name")
NOT_TABLES = "Not about tables: partitions and inheritance play no part."


@rule("security_definer_search_path", level="error", categories=("security",),
      summary="A SECURITY DEFINER function has no fixed search_path",
      why="A SECURITY DEFINER function runs with its owner's rights. Without its own "
          "`search_path` it resolves unqualified names through the caller's, so a caller who "
          "can create objects in any schema on that path (often `public`) can make it run "
          "their function or read their table as the owner: privilege escalation.",
      fix="`ALTER FUNCTION … SET search_path = ''` and schema-qualify every name in the body "
          "(or set a path of trusted schemas only).",
      partitions=NOT_TABLES)
def security_definer_search_path(ctx):
    for function in ctx.schema.objects.functions:
        if function.security_definer and function.search_path is None \
                and ctx.scope.in_scope(function.schema):
            yield ctx.finding(f"SECURITY DEFINER {function.kind} {function.name} runs with its "
                              "owner's rights but resolves names through the caller's search_path",
                              schema=function.schema, name=f"{function.name}({function.argument_types})",
                              kind="function",
                              remediation=pin_search_path(function, "Stop callers steering the "
                                                          "function to objects they created."))


@rule("security_definer_view", level="error", categories=("security",),
      summary="A view bypasses Row Level Security of the tables it reads",
      why="A view runs with its owner's rights unless it is `security_invoker`; the owner "
          "usually owns the tables too, so Row Level Security is skipped and every API user "
          "reads every tenant's rows through the view.",
      fix="`ALTER VIEW … SET (security_invoker = true)` (PostgreSQL 15+), so the querying "
          "user's privileges and policies apply; or stop granting the view to the API roles.",
      partitions="A view reading a partitioned or inheritance parent counts when the parent "
                 "has Row Level Security on (its policies govern the rows read through it, "
                 "partitions' and children's included). A view reading a partition or child "
                 "directly counts when that table, or a parent of it, has Row Level Security "
                 "on: the parent's policies are meant for those rows, but only apply through "
                 "the parent.")
def security_definer_view(ctx):
    for view in ctx.scope.views:
        if view.kind != "view" or view.view.security_invoker or not ctx.scope.is_exposed(view):
            continue
        protected = [t for t in _read_tables(ctx, view) if _protected(ctx, t)]
        if protected:
            names = ", ".join(f"{t.schema}.{t.name}" for t in protected)
            yield ctx.finding(f"view reads {names} (Row Level Security on{_via(protected)}) "
                              "with its owner's rights: policies do not apply to its users",
                              table=view, kind="view",
                              remediation=security_invoker(view, "Apply the querying user's "
                                                           "policies to the view's rows."))


def _protected(ctx, table: Table) -> bool:
    """Row Level Security on ``table`` or on a parent (partitioned or inheritance) of it."""
    return table.rls_enabled or any(_protected(ctx, p) for p in ctx.scope.parents_of(table))


def _via(tables: list[Table]) -> str:
    if all(t.rls_enabled for t in tables):
        return ""
    return ", or on the parent of a partition or child read directly"


def _read_tables(ctx, view: Table) -> list[Table]:
    """The tables the view's definition names (sub-selects and CTEs included)."""
    (raw,) = pglast.parse_sql(view.view.definition)
    found = {}
    for node in walk(raw.stmt, subqueries=True):
        if isinstance(node, ast.RangeVar):
            options = [(node.schemaname, node.relname)] if node.schemaname else \
                [("public", node.relname), (view.schema, node.relname)]
            table = next(filter(None, map(ctx.scope.table, options)), None)
            if table is not None and table.kind in ("table", "partitioned"):
                found[table.key] = table
    return [found[k] for k in sorted(found)]


@rule("sensitive_column_plaintext", level="error", categories=("security",),
      summary="A column named like a secret stores plain text",
      why="Passwords, tokens, API keys and signing secrets in a text column are readable by "
          "anyone who can read the table, a backup or a leaked dump, and people reuse "
          "passwords elsewhere. Names are matched with the `sensitive_patterns` globs, minus "
          "`sensitive_exempt` (`*_hash`, `*_prefix`, `*_encrypted`…).",
      fix="Store a password hash (bcrypt/argon2) or ciphertext (`bytea`, encrypted by the "
          "application or a key service) instead; the draft adds the new column, the "
          "application fills it, and a later migration drops the plain one.",
      partitions="A column is reported on the table that declares it: partitions are never "
                 "reported (their columns are the parent's), nor are the columns an "
                 "inheritance child takes from its parent; the draft adds the companion "
                 "column to the parent, which adds it to every partition and child.")
def sensitive_column_plaintext(ctx):
    for table in ctx.tables:
        inherited = ctx.scope.inherited_columns(table)
        for column in table.columns:
            if column.name not in inherited and _is_secret(ctx.config, column) \
                    and _is_text(column):
                yield ctx.finding(f"{column.name} looks like a secret but is stored as plain "
                                  f"{column.type}", table=table, column=column.name,
                                  remediation=companion_column(table, column.name, "Keep "
                                                               "secrets unreadable at rest."))


def _is_secret(config, column: Column) -> bool:
    name = column.name.lower()
    return (any(fnmatchcase(name, p) for p in config.sensitive_patterns)
            and not any(fnmatchcase(name, p) for p in config.sensitive_exempt))


def _is_text(column: Column) -> bool:
    base = column.type.split("(")[0].removesuffix("[]").strip()
    return base in TEXT_TYPES


@rule("extension_in_public", level="warn", categories=("security",),
      summary="An extension is installed in the public schema",
      why="Objects of an extension in `public` share the schema every role can see (and, "
          "before PostgreSQL 15, create objects in): its functions can be shadowed or "
          "mistaken for the application's, and an exposed `public` puts them in the API.",
      fix="`ALTER EXTENSION … SET SCHEMA extensions` (a dedicated schema) and add that "
          "schema to the search_path of code that calls the extension unqualified.",
      partitions=NOT_TABLES)
def extension_in_public(ctx):
    for extension in ctx.schema.objects.extensions:
        if extension.schema == "public":
            yield ctx.finding(f"extension {extension.name} is installed in public",
                              schema="public", name=extension.name, kind="extension",
                              remediation=move_extension(ctx.schema, extension, "Keep "
                                                         "extension objects out of the shared schema."))
