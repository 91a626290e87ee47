"""How a snapshot shows itself: ``repr``, the notebook's HTML summary, and the CLI's text.

All three show the same facts: object counts per schema, and the Row Level Security
overview (which tables have RLS on, forced, with or without policies).
"""
from __future__ import annotations

from html import escape

COUNTED = ("tables", "partitioned", "views", "matviews", "foreign", "columns", "indexes",
           "foreign_keys", "policies", "triggers", "functions", "enums", "sequences")
RLS = ("tables", "rls_enabled", "rls_forced", "with_policies", "rls_without_policies",
       "policies_without_rls")
SINGULAR = {"indexes": "index", "policies": "policy", "foreign": "foreign",
            "partitioned": "partitioned", **{w: w[:-1] for w in (
                "schemas", "tables", "views", "matviews", "columns", "foreign keys", "triggers",
                "functions", "enums", "sequences")}}
KIND_COUNTS = {"table": "tables", "partitioned": "partitioned", "view": "views",
               "matview": "matviews", "foreign": "foreign"}


def counts(schema) -> list[dict]:
    """One row per schema name: how many objects of each kind it holds."""
    rows = {ns.name: dict.fromkeys(COUNTED, 0) for ns in schema.objects.schemas}
    for table in schema.objects.tables:
        row = rows.setdefault(table.schema, dict.fromkeys(COUNTED, 0))
        row[KIND_COUNTS[table.kind]] += 1
        for part in ("columns", "indexes", "foreign_keys", "policies", "triggers"):
            row[part] += len(getattr(table, part))
    for part in ("functions", "enums", "sequences"):
        for item in getattr(schema.objects, part):
            rows.setdefault(item.schema, dict.fromkeys(COUNTED, 0))[part] += 1
    return [{"schema": name, **rows[name]} for name in sorted(rows)]


def rls_overview(schema) -> list[dict]:
    """Per schema: plain and partitioned tables, and their Row Level Security state."""
    rows: dict[str, dict] = {}
    for t in schema.objects.tables:
        if t.kind not in ("table", "partitioned"):
            continue
        row = rows.setdefault(t.schema, dict.fromkeys(RLS, 0))
        row["tables"] += 1
        row["rls_enabled"] += t.rls_enabled
        row["rls_forced"] += t.rls_forced
        row["with_policies"] += bool(t.policies)
        row["rls_without_policies"] += t.rls_enabled and not t.policies
        row["policies_without_rls"] += bool(t.policies) and not t.rls_enabled
    return [{"schema": name, **rows[name]} for name in sorted(rows)]


def headline(schema) -> str:
    """``'db' on PostgreSQL 18.6: 2 schemas, 12 tables, …``."""
    rows = counts(schema)
    total = {key: sum(row[key] for row in rows) for key in COUNTED}
    parts = [counted(len(schema.objects.schemas), "schemas")]
    parts += [counted(total[key], key) for key in COUNTED if total[key]]
    return f"{schema.database!r} on PostgreSQL {schema.server_version}: {', '.join(parts)}"


def counted(number: int, kind: str) -> str:
    """``1 table``, ``2 tables``, ``1 foreign key``, ``3 indexes``."""
    words = kind.replace("_", " ")
    if number == 1:
        words = SINGULAR.get(words, words)
    return f"{number} {words}"


def schema_repr(schema) -> str:
    """The one-line ``repr`` of a snapshot."""
    return f"<Schema {headline(schema)}>"


def summary_text(schema) -> str:
    """The headline, then the counts and the RLS overview as plain-text tables."""
    return "\n\n".join([f"Database {headline(schema)}", text_table(counts(schema)),
                        "Row Level Security", text_table(rls_overview(schema))])


def schema_html(schema) -> str:
    """The notebook summary: headline, counts per schema, RLS overview."""
    return (f"<div class='workbench-schema'><p><b>Database {escape(headline(schema))}</b></p>"
            f"{html_table(counts(schema))}<p><b>Row Level Security</b></p>"
            f"{html_table(rls_overview(schema))}</div>")


def table_html(table) -> str:
    """A table in a notebook: its columns, then its constraints, indexes, policies, triggers."""
    columns = [{"column": c.name, "type": c.type, "nullable": c.nullable,
                "default": c.default or c.generated or c.identity or "", "comment": c.comment or ""}
               for c in table.columns]
    parts = [("constraints", [{"name": c.name, "definition": c.definition} for c in table.constraints]),
             ("indexes", [{"name": i.name, "definition": i.definition} for i in table.indexes]),
             ("policies", [{"name": p.name, "command": p.command, "roles": ", ".join(p.roles),
                            "using": p.using or "", "with check": p.with_check or ""}
                           for p in table.policies]),
             ("triggers", [{"name": g.name, "definition": g.definition} for g in table.triggers])]
    rls = "RLS forced" if table.rls_forced else "RLS enabled" if table.rls_enabled else "RLS off"
    head = f"{table.schema}.{table.name} ({table.kind}, {rls})"
    return (f"<div class='workbench-table'><p><b>{escape(head)}</b></p>{html_table(columns)}"
            + "".join(f"<p>{name}</p>{html_table(rows)}" for name, rows in parts if rows) + "</div>")


def text_table(rows: list[dict]) -> str:
    """Rows as aligned plain text, a header line first."""
    if not rows:
        return "(none)"
    headers = list(rows[0])
    cells = [headers] + [[str(row[h]) for h in headers] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(headers))]
    return "\n".join("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                               for i, (cell, w) in enumerate(zip(line, widths))).rstrip()
                     for line in cells)


def html_table(rows: list[dict]) -> str:
    """Rows as an HTML table (every value escaped)."""
    if not rows:
        return "<p>(none)</p>"
    head = "".join(f"<th>{escape(h.replace('_', ' '))}</th>" for h in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row.values()) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
