"""Convention rules for multi-tenant schemas: every business row carries its tenant.

A schema's tenant column is the configured name (``tenant_columns``) that most of its tables
carry; tables carrying it are its tenant tables.
"""
from __future__ import annotations

from ...catalog import ForeignKey, Table
from ..convention_fixes import add_tenant_column
from ..fixes import fk_with_on_delete, set_not_null
from ..registry import rule
from ..scope import has_column


@rule("missing_tenant_column", level="warn", categories=("convention", "security"),
      summary="A business table lacks its schema's tenant column",
      why="When most tables of a schema carry the tenant (`org_id`, `user_id`…) and one that "
          "references them does not, its tenant is known only through a join: every policy "
          "needs that join, tenant-scoped indexes and partitioning are impossible, and a "
          "wrong parent key silently moves a row to another tenant. The tenant tables "
          "themselves and `tenant_exempt` globs are left out.",
      fix="Add the column, fill it from the parent, make it NOT NULL, reference the tenant "
          "and index it (the draft does all of it), then scope the policies on it directly.",
      partitions="Reported on the partitioned parent, never on its partitions (their columns "
                 "are the parent's). An inheritance child lacking the column is left to a "
                 "parent that lacks it too and is reported (adding the column to the parent "
                 "adds it to the child); otherwise it is reported on its own.")
def missing_tenant_column(ctx):
    for table in ctx.tables:
        column = ctx.scope.tenant_column(table)
        link = _missing_tenant(ctx, table, column)
        if link is not None and not any(_missing_tenant(ctx, p, column)
                                        for p in ctx.scope.parents_of(table)):
            fk, parent = link
            yield ctx.finding(f"no {column} column: the tenant is known only through "
                              f"{fk.name} → {parent.name}", table=table, detail=column,
                              remediation=add_tenant_column(ctx.schema, table, column, fk, parent))


def _missing_tenant(ctx, table: Table, column: str | None) -> tuple[ForeignKey, Table] | None:
    """The key through which ``table``, lacking its tenant ``column``, knows its tenant
    (None when it has the column, is exempt, or has no such key)."""
    if column is None or has_column(table, column) or ctx.scope.is_tenant_exempt(table):
        return None
    return _tenant_parent(ctx, table, column)


def _tenant_parent(ctx, table: Table, column: str) -> tuple[ForeignKey, Table] | None:
    """The first foreign key (by name) to a table that carries the tenant column."""
    for fk in sorted(table.foreign_keys, key=lambda f: f.name):
        parent = ctx.scope.table(fk.ref_key)
        if parent is not None and has_column(parent, column):
            return fk, parent
    return None


@rule("tenant_column_nullable", level="warn", categories=("convention", "security"),
      summary="The tenant column allows NULL",
      why="A row without a tenant belongs to nobody: tenant-scoped policies never match it "
          "(so it is invisible and undeletable for users), or a careless `IS NULL` branch "
          "shows it to everyone.",
      fix="Backfill the missing tenants, then `ALTER COLUMN … SET NOT NULL`.",
      partitions="Reported on the partitioned parent, never on its partitions (`SET NOT "
                 "NULL` on the parent reaches every partition). An inheritance child's column "
                 "taken from a parent where it allows NULL too is left to that parent (whose "
                 "`SET NOT NULL` reaches the child).")
def tenant_column_nullable(ctx):
    for table in ctx.tables:
        column = ctx.scope.tenant_column(table)
        if column and _nullable(table, column) \
                and not any(_nullable(p, column) for p in ctx.scope.parents_of(table)):
            yield ctx.finding(f"{column} allows NULL: rows without a tenant", table=table,
                              column=column,
                              remediation=set_not_null(table, column, "Every row has a tenant."))


def _nullable(table: Table, column: str) -> bool:
    return has_column(table, column) and table.column(column).nullable


@rule("fk_missing_on_delete", level="info", categories=("convention",),
      summary="A foreign key of a tenant table leaves ON DELETE at the default",
      why="`NO ACTION` is what you get when nobody decided: deleting a parent then fails "
          "(often only in production, when a tenant is removed). An explicit RESTRICT, "
          "CASCADE or SET NULL records the decision and makes tenant deletion predictable.",
      fix="Re-create the key with the action you mean; the draft makes it `ON DELETE "
          "RESTRICT` (the same behaviour, stated) as a starting point.",
      partitions="Each key is reported on the table that declares it: a key of a partitioned "
                 "table on the parent (re-creating it there re-creates the partitions' copies, "
                 "which are not reported), a key declared on a partition on that partition. "
                 "Inheritance children inherit no keys: their own are reported on them.")
def fk_missing_on_delete(ctx):
    for table in ctx.all_tables:
        if not ctx.scope.is_tenant_table(table):
            continue
        for fk in table.foreign_keys:
            if fk.on_delete == "NO ACTION" and not fk.inherited:
                yield ctx.finding(f"foreign key {fk.name} → {fk.ref_table} has no explicit "
                                  "ON DELETE choice", table=table, column=fk.columns[0],
                                  name=fk.name, kind="column",
                                  remediation=fk_with_on_delete(table, fk, "RESTRICT",
                                                                "State what deleting a parent does."))
