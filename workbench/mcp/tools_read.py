"""The tools that look and measure: nothing here changes the database. Each is a thin face
over a library function (the snapshot, the advisors, EXPLAIN, index advice, the RLS probe,
the migration history, TypeScript types, diagrams, a read-only query)."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .errors import tool
from .replies import reply

Tables = Annotated[list[str] | None, Field(description="schema.table names (default: every table)")]
Schemas = Annotated[list[str] | None, Field(description="schema names (default: every user schema)")]


def register(app, state) -> None:
    """Add the read tools to ``app``, working on ``state``'s session."""
    for make in (list_tables, describe_table, list_migrations, migrations_status, verify_migrations,
                 get_advisors, explain, advise_indexes, probe_rls, generate_typescript_types, erd,
                 execute_sql):
        app.add_tool(tool(state)(make(state)))


def snapshot(state, schemas=None):
    """A fresh snapshot of the server's database."""
    from .. import inspect

    return inspect(state.session, schemas=schemas)


def list_tables(state):
    def list_tables(schemas: Schemas = None):
        """The database's tables, views and materialized views: kind, row estimate, size,
        Row Level Security, counts of columns, indexes, policies and triggers; with the
        snapshot's summary (objects per schema, RLS overview)."""
        from ..catalog.frames import table_row

        found = snapshot(state, schemas)
        rows = [table_row(t) for t in found.objects.tables]
        summary = found.summary_text()
        return reply(f"{summary.splitlines()[0]}\n{len(rows)} table(s) listed",
                     {"database": found.database, "summary": summary, "tables": rows})
    return list_tables


def describe_table(state):
    def describe_table(table: Annotated[str, Field(description="the table: schema.table or a bare name")]):
        """One table in full: columns, constraints, foreign keys both ways, indexes, RLS
        state, policies, triggers and grants."""
        found = snapshot(state).describe(table)
        counts = ", ".join(f"{len(found[part])} {part}" for part in
                           ("columns", "constraints", "indexes", "policies", "triggers", "grants"))
        rls = "RLS on" if found["rls_enabled"] else "RLS off"
        return reply(f"{found['qualified_name']} ({found['kind']}, {rls}): {counts}", found)
    return describe_table


def list_migrations(state):
    def list_migrations():
        """The Alembic revisions of the migration history, oldest first, and its head."""
        from ..migrations import ScriptHistory, default_migrations_dir

        history = ScriptHistory(state.migrations_dir or default_migrations_dir())
        revisions = [{"revision": r.id, "down_revision": r.down, "title": r.title.splitlines()[0] if r.title else "",
                      "file": r.path.name} for r in history.revisions()]
        head = history.single_head()
        return reply(f"{len(revisions)} revision(s), head {head}",
                     {"folder": str(history.migrations_dir), "head": head, "revisions": revisions})
    return list_migrations


def migrations_status(state):
    def migrations_status(drift: Annotated[bool, Field(description="also build the history on a scratch "
                                                                    "database and compare it with this one")] = False):
        """Where the server's database stands against the migration history: head, the
        revision it records, pending revisions; with drift, what differs from the history."""
        from ..verify import migration_status

        status = migration_status(state.dsn, state.migrations_dir, drift=drift, scratch_dsn=state.admin_dsn)
        return reply(status.text(), status.to_dict())
    return migrations_status


def verify_migrations(state):
    def verify_migrations(convergence: bool = True, data: bool = True, rls: bool = True, advisors: bool = True):
        """Verify the whole migration history on fresh scratch databases of the same server:
        every revision up, down and up again (the downgrade must restore the schema), then at
        head: seed data and invariants (data), the RLS probe (rls), the advisors' findings per
        revision (advisors). Turn steps off to go faster. Nothing in this database is touched."""
        from ..verify import verify

        report = verify(state.admin_dsn, state.migrations_dir, convergence=convergence, data=data,
                        rls=rls, advisors=advisors)
        return reply(("PASSED\n" if report.ok else "FAILED\n") + report.text(), report.to_dict())
    return verify_migrations


def get_advisors(state):
    def get_advisors(level: Literal["error", "warn", "info"] | None = None,
                     category: Literal["security", "performance", "convention"] | None = None,
                     table: Annotated[str | None, Field(description="only this table (schema.table)")] = None,
                     rule: Annotated[str | None, Field(description="only this rule id")] = None):
        """The schema advisors' findings (security, performance, conventions), each with its
        drafted fix: a Draft's title, up and down SQL, ready for draft_migration."""
        from ..lint import lint, load_config

        report = lint(snapshot(state), state.session, load_config()).where(
            level=level, category=category, table=table, rule=rule)
        counts = ", ".join(f"{n} {lvl}" for lvl, n in report.counts().items())
        return reply(f"{len(report.findings)} finding(s): {counts}\n{report.text()}", report.to_dict())
    return get_advisors


def explain(state):
    def explain(sql: Annotated[str, Field(description="one SELECT, INSERT, UPDATE, DELETE or MERGE")],
                analyze: Annotated[bool, Field(description="run it, in a transaction that is rolled "
                                                           "back, for actual rows and times")] = False,
                params: Annotated[list[str] | None, Field(description="values for $1, $2 …")] = None):
        """A query's plan in plain words: what it does step by step, its hot spots, and the
        plan nodes. Without values, $1-style parameters get the generic plan."""
        from ..plans import explain as run_explain
        from ..plans.display import plan_dict

        plan = run_explain(state.session, sql, analyze=analyze, params=params)
        return reply(str(plan.narrative()), plan_dict(plan))
    return explain


def advise_indexes(state):
    def advise_indexes(sql: Annotated[str | None, Field(description="a query, or a workload: several "
                                                                     "statements separated by semicolons")] = None,
                       demo: Annotated[str | None, Field(description="instead of sql, a demo's workload "
                                                                      "(nursery)")] = None,
                       measure: Annotated[bool, Field(description="also time the queries before and after "
                                                                  "(rolled back; slower)")] = False,
                       max_indexes: int = 20,
                       as_role: Annotated[str | None, Field(description="plan as this role with sample "
                                                                         "tenants' claims, so RLS applies")] = None):
        """Indexes that make a query or workload faster, costed what-if (HypoPG, or real
        indexes in a rolled-back transaction); each recommendation carries a Draft. Nothing
        is changed."""
        from ..indexes import Limits, advise, queries_from_file
        from ..samples import demo_workload

        queries = queries_from_file(demo_workload(demo)) if demo else workload_sql(sql)
        advice = advise(state.session, queries, measure=measure, limits=Limits(max_indexes=max_indexes),
                        as_role=as_role)
        return reply(advice.summary_text(), advice.to_dict())
    return advise_indexes


def workload_sql(sql: str | None) -> str:
    """The workload text, which must be given when no demo is."""
    from ..errors import WorkbenchError

    if not sql or not sql.strip():
        raise WorkbenchError("give the query (sql) or a demo workload (demo)",
                             hint="e.g. sql=\"SELECT * FROM nursery.orders WHERE status = 'pending'\"")
    return sql


def probe_rls(state):
    def probe_rls(tables: Tables = None):
        """Row Level Security checked by impersonation, in a rolled-back transaction: as each of
        two tenants, try to read, insert, update and delete the other's rows. A matrix of table
        × command × verdict (isolated, LEAK, no RLS, not probed), naming the policies at fault."""
        from ..errors import WorkbenchError
        from ..verify.rls import probe

        report = probe(state.session, tables=tables)
        if report.skipped:
            raise WorkbenchError(f"nothing was probed: {report.skipped}")
        return reply(report.summary() + "".join(f"\n{r.line()}" for r in report.failures), report.to_dict())
    return probe_rls


def generate_typescript_types(state):
    def generate_typescript_types(schemas: Schemas = None):
        """TypeScript types of the schema for the application, in the shape of Supabase's
        generated Database type (Row, Insert, Update, Relationships per table; views,
        functions, enums)."""
        from ..typegen import typescript

        text = typescript(snapshot(state), schemas)
        return reply(f"TypeScript types: {len(text.splitlines())} lines", {"language": "typescript",
                                                                             "schemas": schemas, "text": text})
    return generate_typescript_types


def erd(state):
    def erd(focus: Annotated[list[str] | None, Field(description="tables to centre on (default: every table)")] = None,
            depth: Annotated[int, Field(description="foreign-key steps from the focus tables")] = 1,
            schemas: Schemas = None,
            columns: Literal["auto", "all", "keys", "none"] = "auto",
            hide_audit: bool = False):
        """An ER diagram as Mermaid erDiagram text, with the tables drawn and what was left out.
        The same diagram as SVG: the resource workbench://erd/{table}.svg (or workbench://erd.svg)."""
        from ..erd import erd as draw

        diagram = draw(snapshot(state), focus, depth=depth, schemas=schemas, columns=columns,
                       hide_audit=hide_audit)
        return reply(f"{diagram.title}: {len(diagram.tables)} table(s)",
                     {"title": diagram.title, "tables": list(diagram.tables), "notes": diagram.notes,
                      "mermaid": diagram.mermaid()})
    return erd


def execute_sql(state):
    def execute_sql(sql: Annotated[str, Field(description="one read-only query (SELECT, VALUES, TABLE, "
                                                           "WITH … SELECT)")],
                    max_rows: Annotated[int, Field(ge=1, le=1000)] = 100):
        """Run one read-only query and return its rows, in a READ ONLY transaction with the
        session's statement and lock timeouts. Anything that writes (INSERT, UPDATE, DELETE,
        DDL, SELECT … INTO, FOR UPDATE) is refused: changes go through a Draft."""
        from ..query import read_query

        rows = read_query(state.session, sql, max_rows=max_rows)
        return reply(rows.summary_text(), {"sql": rows.sql, "columns": list(rows.columns),
                                           "rows": rows.records(), "truncated": rows.truncated})
    return execute_sql
