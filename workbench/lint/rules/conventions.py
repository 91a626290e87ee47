"""Convention rules: audit columns, and an updated_at that really tracks updates."""
from __future__ import annotations

from ...catalog import Table
from ..convention_fixes import updated_at_trigger
from ..fixes import add_timestamp_columns
from ..registry import rule
from ..scope import has_column


@rule("missing_audit_columns", level="info", categories=("convention",),
      summary="A table lacks some of the audit columns",
      why="The team's audit columns (`audit_columns`, by default `created_at` and "
          "`updated_at`) answer \"since when?\" and \"what changed recently?\" for support, "
          "incremental exports and debugging; a table without them cannot answer.",
      fix="Add the missing columns (`timestamptz NOT NULL DEFAULT now()` for the `*_at` ones).",
      partitions="Reported on the partitioned parent, never on its partitions (a column added "
                 "to the parent is added to every partition). Likewise an inheritance child "
                 "has every column of its parents, so a column it lacks is reported on the "
                 "parent, whose draft adds it to the child as well.")
def missing_audit_columns(ctx):
    for table in ctx.tables:
        missing = [c for c in ctx.config.audit_columns if not has_column(table, c)
                   and not _parent_lacks(ctx, table, c)]
        if missing:
            stamps = [c for c in missing if c.endswith("_at")]
            draft = add_timestamp_columns(table, stamps, "Record when rows are created and "
                                          "changed.") if stamps else None
            yield ctx.finding(f"missing audit column(s) {', '.join(missing)}", table=table,
                              detail=", ".join(missing), remediation=draft)


def _parent_lacks(ctx, table: Table, column: str) -> bool:
    """Whether a parent of ``table`` lacks ``column`` too: the finding belongs to the parent."""
    return any(not has_column(p, column) for p in ctx.scope.parents_of(table))


def _has_update_trigger(table: Table) -> bool:
    return any(t.timing == "BEFORE" and t.level == "ROW" and "UPDATE" in t.events
               and t.enabled != "disabled" for t in table.triggers)


@rule("missing_updated_at_trigger", level="warn", categories=("convention",),
      summary="A table has updated_at but no trigger keeps it current",
      why="Without a `BEFORE UPDATE` row trigger, `updated_at` keeps the creation time unless "
          "every writer remembers to set it: incremental exports, caches and \"recently "
          "changed\" views silently miss updated rows.",
      fix="`CREATE TRIGGER … BEFORE UPDATE … FOR EACH ROW EXECUTE FUNCTION set_updated_at()` "
          "(the draft re-uses the schema's function named `updated_at_function`, or creates it).",
      partitions="A partitioned table is reported on the parent, judged by its own triggers: "
                 "a row trigger created on the parent is cloned onto every partition, so "
                 "partitions are never reported. Inheritance children are reported on their "
                 "own: triggers are not inherited, and an UPDATE through the parent fires the "
                 "row triggers of the child the row lives in, not the parent's.")
def missing_updated_at_trigger(ctx):
    for table in ctx.tables:
        column = next((c for c in ctx.config.updated_at_columns if has_column(table, c)), None)
        if column and not _has_update_trigger(table):
            yield ctx.finding(f"{column} is never set by a trigger: it keeps the insert time",
                              table=table, detail=column,
                              remediation=updated_at_trigger(ctx.schema, table, column,
                                                             ctx.config.updated_at_function))
