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
      fix="Add the missing columns (`timestamptz NOT NULL DEFAULT now()` for the `*_at` ones).")
def missing_audit_columns(ctx):
    for table in ctx.tables:
        missing = [c for c in ctx.config.audit_columns if not has_column(table, c)]
        if missing:
            stamps = [c for c in missing if c.endswith("_at")]
            draft = add_timestamp_columns(table, stamps, "Record when rows are created and "
                                          "changed.") if stamps else None
            yield ctx.finding(f"missing audit column(s) {', '.join(missing)}", table=table,
                              detail=", ".join(missing), remediation=draft)


def _has_update_trigger(table: Table) -> bool:
    return any(t.timing == "BEFORE" and t.level == "ROW" and "UPDATE" in t.events
               and t.enabled != "disabled" for t in table.triggers)


@rule("missing_updated_at_trigger", level="warn", categories=("convention",),
      summary="A table has updated_at but no trigger keeps it current",
      why="Without a `BEFORE UPDATE` row trigger, `updated_at` keeps the creation time unless "
          "every writer remembers to set it: incremental exports, caches and \"recently "
          "changed\" views silently miss updated rows.",
      fix="`CREATE TRIGGER … BEFORE UPDATE … FOR EACH ROW EXECUTE FUNCTION set_updated_at()` "
          "(the draft re-uses the schema's function named `updated_at_function`, or creates it).")
def missing_updated_at_trigger(ctx):
    for table in ctx.tables:
        column = next((c for c in ctx.config.updated_at_columns if has_column(table, c)), None)
        if column and not _has_update_trigger(table):
            yield ctx.finding(f"{column} is never set by a trigger: it keeps the insert time",
                              table=table, detail=column,
                              remediation=updated_at_trigger(ctx.schema, table, column,
                                                             ctx.config.updated_at_function))
