"""``workbench mcp``: the real server, started as a subprocess and driven over stdio by the MCP
SDK's client, on copies of the nursery demo (never the shared one) and a copy of the migration
history. Every tool once with its result read back, bad input for each, the resources, and the
guarantees: nothing is written without --allow-apply, only a Draft whose dry run passed is
applied (really, in the database), execute_sql refuses to write, export touches no database."""
from __future__ import annotations

import asyncio
import concurrent.futures
import shutil
import sys
import tempfile
import threading
import uuid
from pathlib import Path

import psycopg
import pytest
from mcp import ClientSession, StdioServerParameters, stdio_client

from workbench import embedded, inspect
from workbench.dsn import with_database
from workbench.migrations import ScriptHistory
from workbench.samples import ensure_demo
from workbench.session import Session

ROOT = Path(__file__).resolve().parents[1]
TOOLS = {"list_tables", "describe_table", "list_migrations", "migrations_status", "verify_migrations",
         "get_advisors", "explain", "advise_indexes", "probe_rls", "generate_typescript_types", "erd",
         "execute_sql", "draft_migration", "draft_from_sql", "dry_run", "export_migration", "apply_migration"}
STATUS_INDEX = ("Index orders.status", "CREATE INDEX orders_status_idx ON nursery.orders (status);",
                "DROP INDEX nursery.orders_status_idx;")
TIMEOUT = 120


class Server:
    """``workbench mcp ARGS`` in a subprocess, with an SDK client session kept open on an event
    loop of its own (a thread), so synchronous tests can call it."""

    def __init__(self, *args: str, migrations: Path):
        self.params = StdioServerParameters(command=sys.executable, args=["-m", "workbench", "mcp", *args],
                                            env={"WORKBENCH_MIGRATIONS": str(migrations)}, cwd=str(ROOT))
        self.errors = tempfile.TemporaryFile(mode="w+")
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.ready: concurrent.futures.Future = concurrent.futures.Future()
        self.running = asyncio.run_coroutine_threadsafe(self.serve(), self.loop)
        self.session: ClientSession = self.ready.result(TIMEOUT)

    async def serve(self) -> None:
        self.stop = asyncio.Event()
        try:
            async with stdio_client(self.params, errlog=self.errors) as (read, write):
                async with ClientSession(read, write) as session:
                    await session.initialize()
                    self.ready.set_result(session)
                    await self.stop.wait()
        except BaseException as exc:
            if not self.ready.done():
                self.ready.set_exception(exc)
            raise

    def wait(self, awaitable):
        async def run():
            return await awaitable
        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(TIMEOUT)

    def call(self, tool: str, **arguments):
        """The tool's result (a CallToolResult)."""
        return self.wait(self.session.call_tool(tool, arguments))

    def ok(self, tool: str, **arguments) -> dict:
        """The structured result of a call that must succeed."""
        result = self.call(tool, **arguments)
        assert not result.is_error, result.content[0].text
        assert result.content[0].text.strip()  # the short summary comes first
        return result.structured_content

    def error(self, tool: str, **arguments) -> str:
        """The text of a call that must fail with a tool error."""
        result = self.call(tool, **arguments)
        assert result.is_error, f"{tool} should have failed: {result.content[0].text[:200]}"
        text = result.content[0].text
        assert "Traceback" not in text
        return text

    def read(self, uri: str) -> str:
        return self.wait(self.session.read_resource(uri)).contents[0].text

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.stop.set)
        try:
            self.running.result(30)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)
            self.errors.close()


# --- fixtures: two copies of the nursery demo, a copy of the history, two servers ----------

@pytest.fixture(scope="module")
def admin() -> str:
    return embedded.server_dsn("postgres")


@pytest.fixture(scope="module")
def small_nursery(admin) -> str:
    """The nursery demo at a small scale, built once: the servers' databases are copies of it."""
    name = f"wb_mcp_{uuid.uuid4().hex[:10]}"
    ensure_demo(admin, "nursery", scale=0.02, progress=False, database=name)
    yield name
    drop(admin, name)


def nursery_copy(admin: str, template: str):
    """A copy of ``template`` (nobody connects to it, so CREATE DATABASE … TEMPLATE may copy it)."""
    name = f"wb_mcp_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return name, with_database(admin, name)


def drop(admin: str, name: str) -> None:
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def migrations(tmp_path_factory) -> Path:
    """A copy of migrations/ (and alembic.ini), for the servers to list, export to and verify."""
    folder = tmp_path_factory.mktemp("mcp-history")
    shutil.copytree(ROOT / "migrations", folder / "migrations", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "alembic.ini", folder / "alembic.ini")
    return folder / "migrations"


@pytest.fixture(scope="module")
def reading_dsn(admin, small_nursery):
    name, dsn = nursery_copy(admin, small_nursery)
    yield dsn
    drop(admin, name)


@pytest.fixture(scope="module")
def applying_dsn(admin, small_nursery):
    name, dsn = nursery_copy(admin, small_nursery)
    yield dsn
    drop(admin, name)


@pytest.fixture(scope="module")
def reader(reading_dsn, migrations):
    """A server without --allow-apply."""
    server = Server("--dsn", reading_dsn, "--dir", str(migrations), migrations=migrations)
    yield server
    server.close()


@pytest.fixture(scope="module")
def writer(applying_dsn, migrations):
    """A server started with --allow-apply, on a database of its own."""
    server = Server("--dsn", applying_dsn, "--allow-apply", "--dir", str(migrations), migrations=migrations)
    yield server
    server.close()


def snapshot(dsn: str):
    with Session(dsn) as session:
        return inspect(session)


def has_index(dsn: str, name: str) -> bool:
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT to_regclass(%s)", [f"nursery.{name}"]).fetchone()[0] is not None


def count(dsn: str, sql: str) -> int:
    with psycopg.connect(dsn) as conn:
        return conn.execute(sql).fetchone()[0]


def drafted(server: Server, title: str, up: str, down: str) -> str:
    return server.ok("draft_migration", title=title, up=up, down=down)["draft_id"]


# --- the tools -----------------------------------------------------------------------------

def test_every_tool_is_offered_with_a_description(reader):
    tools = reader.wait(reader.session.list_tools()).tools
    assert {t.name for t in tools} == TOOLS
    assert all(t.description and len(t.description) > 40 for t in tools)


def test_list_tables(reader):
    listed = reader.ok("list_tables", schemas=["nursery"])
    assert listed["summary"].startswith("Database 'wb_mcp_")
    orders = next(t for t in listed["tables"] if t["name"] == "orders")
    assert orders["schema"] == "nursery" and orders["rls_enabled"] is True and orders["policies"] == 4
    assert "no schema named 'nope'" in reader.error("list_tables", schemas=["nope"])


def test_describe_table(reader):
    table = reader.ok("describe_table", table="orders")
    assert table["qualified_name"] == "nursery.orders"
    assert "status" in [c["name"] for c in table["columns"]]
    assert "order_items_order_id_fkey" in [fk["name"] for fk in table["referenced_by"]]
    assert {g["privilege"] for g in table["grants"] if g["grantee"] == "authenticated"} >= {"SELECT", "INSERT"}
    assert len(table["policies"]) == 4 and table["triggers"][0]["name"] == "orders_set_updated_at"
    missing = reader.error("describe_table", table="ordrs")
    assert "no table 'ordrs'" in missing and "what to do: did you mean nursery.orders" in missing


def test_list_migrations_and_status(reader, migrations):
    newest = ScriptHistory(migrations).revisions()[-1]
    listed = reader.ok("list_migrations")
    assert listed["revisions"][-1]["file"] == newest.path.name and listed["head"] == newest.id
    status = reader.ok("migrations_status")
    assert status["current"] == [] and status["pending"][-1]["file"] == newest.path.name
    assert "validation error" in reader.error("migrations_status", drift="sometimes")


def test_a_missing_migrations_folder_is_a_clear_error(reading_dsn, tmp_path):
    server = Server("--dsn", reading_dsn, "--dir", str(tmp_path / "nowhere"), migrations=tmp_path / "nowhere")
    try:
        for tool in ("list_migrations", "migrations_status", "verify_migrations"):
            failed = server.error(tool)
            assert "not an Alembic migrations folder (no env.py)" in failed and "nowhere" in failed, tool
    finally:
        server.close()


def test_get_advisors_with_drafted_fixes(reader):
    found = reader.ok("get_advisors", rule="unindexed_foreign_key")
    (finding,) = found["findings"]
    assert finding["object"].startswith("nursery.order_items.batch_id")
    assert finding["remediation"]["up"].startswith("CREATE INDEX CONCURRENTLY")
    assert "DROP INDEX" in finding["remediation"]["down"]
    assert {f["level"] for f in reader.ok("get_advisors", level="error")["findings"]} == {"error"}
    assert "level" in reader.error("get_advisors", level="fatal")


def test_explain(reader):
    plan = reader.ok("explain", sql="SELECT * FROM nursery.orders WHERE id = $1")
    assert plan["generic_plan"] is True and plan["steps"] and plan["nodes"][0]["relation"] == "nursery.orders"
    assert "does not parse" in reader.error("explain", sql="SELEC * FROM nursery.orders")
    assert "cannot EXPLAIN a CreateStmt" in reader.error("explain", sql="CREATE TABLE nursery.x (id int)")


def test_advise_indexes(reader):
    advice = reader.ok("advise_indexes", sql="-- pending orders\nSELECT * FROM nursery.orders WHERE status = 'pending';")
    assert [q["label"] for q in advice["queries"]] == ["pending orders"]
    assert advice["recommended"][0]["table"] == "nursery.orders"
    assert "give the query (sql) or a demo workload" in reader.error("advise_indexes")
    assert "does not parse" in reader.error("advise_indexes", sql="SELECT FROM WHERE")


def test_probe_rls(reader):
    report = reader.ok("probe_rls", tables=["nursery.orders"])
    assert report["ok"] is True and {r["table"] for r in report["results"]} == {"nursery.orders"}
    assert "no table 'nope'" in reader.error("probe_rls", tables=["nope"])


def test_generate_typescript_types(reader):
    types = reader.ok("generate_typescript_types", schemas=["nursery"])
    assert types["text"].startswith("// Types of the database") and "orders: {" in types["text"]
    assert "no schema named 'nope'" in reader.error("generate_typescript_types", schemas=["nope"])


def test_erd_as_mermaid_and_svg(reader):
    diagram = reader.ok("erd", focus=["orders"])
    assert "\nerDiagram\n" in diagram["mermaid"] and "nursery.orders" in diagram["tables"]
    assert "no table 'nope'" in reader.error("erd", focus=["nope"])
    assert "<svg" in reader.read("workbench://erd/orders.svg")


def test_execute_sql_reads(reader, reading_dsn):
    rows = reader.ok("execute_sql", sql="SELECT id, name FROM nursery.organizations ORDER BY id", max_rows=2)
    assert rows["columns"] == ["id", "name"] and len(rows["rows"]) == 2 and rows["truncated"] is True
    assert "does not parse" in reader.error("execute_sql", sql="SELEC 1")


@pytest.mark.parametrize("sql, why", [
    ("DELETE FROM nursery.orders WHERE id = {id}", "DELETE is not a query"),
    ("WITH gone AS (DELETE FROM nursery.orders WHERE id = {id} RETURNING id) SELECT * FROM gone", "DELETE removes rows"),
    ("UPDATE nursery.orders SET status = 'cancelled' WHERE id = {id}", "UPDATE is not a query"),
    ("DROP TABLE nursery.orders CASCADE", "DROP is not a query"),
    ("SELECT * INTO nursery.stolen FROM nursery.orders", "SELECT … INTO creates a table"),
    ("SELECT nextval('nursery.orders_id_seq')", "cannot execute nextval() in a read-only transaction"),
])
def test_execute_sql_refuses_to_write(reader, reading_dsn, sql, why):
    first = count(reading_dsn, "SELECT min(id) FROM nursery.orders")
    before = count(reading_dsn, "SELECT count(*) FROM nursery.orders")
    assert why in reader.error("execute_sql", sql=sql.format(id=first))
    assert count(reading_dsn, "SELECT count(*) FROM nursery.orders") == before
    assert count(reading_dsn, f"SELECT count(*) FROM nursery.orders WHERE id = {first}") == 1
    assert count(reading_dsn, "SELECT count(*) FROM pg_class WHERE relname = 'stolen'") == 0


def test_execute_sql_runs_in_a_read_only_transaction(reader, reading_dsn):
    """What the parser cannot see, a function that deletes, the READ ONLY transaction refuses."""
    first = count(reading_dsn, "SELECT min(id) FROM nursery.orders")
    with psycopg.connect(reading_dsn, autocommit=True) as conn:
        conn.execute("CREATE FUNCTION public.tidy(bigint) RETURNS bigint LANGUAGE sql "
                     "AS 'DELETE FROM nursery.orders WHERE id = $1 RETURNING id'")
    try:
        refused = reader.error("execute_sql", sql=f"SELECT public.tidy({first})")
        assert "cannot execute DELETE in a read-only transaction" in refused
        assert count(reading_dsn, f"SELECT count(*) FROM nursery.orders WHERE id = {first}") == 1
    finally:
        with psycopg.connect(reading_dsn, autocommit=True) as conn:
            conn.execute("DROP FUNCTION public.tidy(bigint)")


def test_draft_migration_with_safety_findings(reader):
    draft = reader.ok("draft_migration", title=STATUS_INDEX[0], up=STATUS_INDEX[1], down=STATUS_INDEX[2])
    assert draft["draft_id"].startswith("d") and draft["up"] == STATUS_INDEX[1]
    assert "require-concurrent-index-creation" in {f["rule"] for f in draft["safety"]["findings"]}
    assert "the down SQL is empty" in reader.error("draft_migration", title="No way back", up=STATUS_INDEX[1])
    assert "does not parse" in reader.error("draft_migration", title="Typo", up="CREAT INDEX x", down="SELECT 1")


def test_draft_from_sql_derives_up_and_down(reader, reading_dsn):
    before = snapshot(reading_dsn)
    draft = reader.ok("draft_from_sql", title="Customer tier", schemas=["nursery"],
                      ddl="ALTER TABLE nursery.customers ADD COLUMN tier text;")
    assert "ALTER TABLE nursery.customers ADD COLUMN tier text;" in draft["up"]
    assert "ALTER TABLE nursery.customers DROP COLUMN tier;" in draft["down"]
    assert draft["proof"]["ok"] is True
    failed = reader.error("draft_from_sql", title="Bad", ddl="ALTER TABLE nursery.nope ADD COLUMN x int;")
    assert "nursery.nope" in failed and "does not exist" in failed
    assert snapshot(reading_dsn) == before


def test_dry_run_verdicts(reader, reading_dsn):
    before = snapshot(reading_dsn)
    passing = reader.ok("dry_run", draft_id=drafted(reader, *STATUS_INDEX))
    assert passing["passed"] is True and passing["problems"] == []
    assert passing["dry_run"]["restores"] is True
    assert passing["dry_run"]["changes"] == [{"action": "added", "kind": "index",
                                              "name": "nursery.orders.orders_status_idx", "fields": []}]
    assert passing["rls"]["tables"] == ["nursery.orders"] and passing["rls"]["leaks"] == []
    leaky = reader.ok("dry_run", draft_id=drafted(
        reader, "Everyone reads orders", "CREATE POLICY everyone ON nursery.orders FOR SELECT TO authenticated USING (true);",
        "DROP POLICY everyone ON nursery.orders;"))
    assert leaky["passed"] is False and leaky["problems"][0].startswith("cross-tenant access: nursery.orders SELECT: LEAK")
    failing = reader.error("dry_run", draft_id=drafted(reader, "Missing", "ALTER TABLE nursery.nope ADD COLUMN x int;",
                                                       "ALTER TABLE nursery.nope DROP COLUMN x;"))
    assert "failed at statement 1" in failing and "nothing was changed" in failing
    assert "no Draft 'd999' in this server session" in reader.error("dry_run", draft_id="d999")
    assert snapshot(reading_dsn) == before


def test_apply_is_refused_without_allow_apply(reader, reading_dsn):
    draft_id = drafted(reader, *STATUS_INDEX)
    assert reader.ok("dry_run", draft_id=draft_id)["passed"] is True
    before = snapshot(reading_dsn)
    refused = reader.error("apply_migration", draft_id=draft_id)
    assert "started without --allow-apply" in refused and "export_migration" in refused
    assert not has_index(reading_dsn, "orders_status_idx") and snapshot(reading_dsn) == before


def test_export_needs_a_passed_dry_run_and_touches_no_database(reader, reading_dsn, migrations):
    draft_id = drafted(reader, "Index orders.created_at", "CREATE INDEX CONCURRENTLY orders_created_at_idx "
                       "ON nursery.orders (created_at);", "DROP INDEX CONCURRENTLY nursery.orders_created_at_idx;")
    files = set((migrations / "versions").glob("*.py"))
    assert "never dry-run" in reader.error("export_migration", draft_id=draft_id, approved_by="ana")
    assert set((migrations / "versions").glob("*.py")) == files
    assert reader.ok("dry_run", draft_id=draft_id)["passed"] is True
    before = snapshot(reading_dsn)
    exported = reader.ok("export_migration", draft_id=draft_id, approved_by="ana")
    path = Path(exported["path"])
    assert set((migrations / "versions").glob("*.py")) == files | {path}
    assert "CREATE INDEX CONCURRENTLY orders_created_at_idx" in path.read_text() and "ana" in path.read_text()
    assert reader.ok("export_migration", draft_id=draft_id, approved_by="ana")["path"] == str(path)  # idempotent
    assert snapshot(reading_dsn) == before and not has_index(reading_dsn, "orders_created_at_idx")
    assert count(reading_dsn, "SELECT count(*) FROM pg_class WHERE relname = 'alembic_version'") == 0
    assert "no Draft 'd999'" in reader.error("export_migration", draft_id="d999", approved_by="ana")


def test_an_agent_fixes_a_planted_problem_draft_dry_run_export_verify(reader, migrations):
    """The README's walk: the duplicate index on nursery.orders, found by the advisors, fixed
    through a Draft, dry-run, exported, and the whole history verified."""
    (finding,) = reader.ok("get_advisors", rule="duplicate_index")["findings"]
    fix = finding["remediation"]
    draft_id = drafted(reader, fix["title"], fix["up"], fix["down"])
    verdict = reader.ok("dry_run", draft_id=draft_id)
    assert verdict["passed"] is True
    assert [f["rule"] for f in verdict["advisors"]["resolved"]] == ["duplicate_index"]
    path = Path(reader.ok("export_migration", draft_id=draft_id, approved_by="reviewer")["path"])
    verified = reader.ok("verify_migrations")
    assert verified["ok"] is True
    assert path.name in [r["file"] for r in verified["revisions"]]
    assert "validation error" in reader.error("verify_migrations", rls="perhaps")


def test_apply_only_a_draft_whose_dry_run_passed_and_for_real(writer, applying_dsn):
    never = drafted(writer, *STATUS_INDEX)
    assert "never dry-run" in writer.error("apply_migration", draft_id=never)
    leaky = drafted(writer, "Everyone reads orders", "CREATE POLICY everyone ON nursery.orders FOR SELECT "
                    "TO authenticated USING (true);", "DROP POLICY everyone ON nursery.orders;")
    assert writer.ok("dry_run", draft_id=leaky)["passed"] is False
    assert "failed its dry run: cross-tenant access" in writer.error("apply_migration", draft_id=leaky)
    assert not has_index(applying_dsn, "orders_status_idx")
    assert count(applying_dsn, "SELECT count(*) FROM pg_policies WHERE policyname = 'everyone'") == 0

    assert writer.ok("dry_run", draft_id=never)["passed"] is True
    other = drafted(writer, "Index orders.created_at", "CREATE INDEX orders_created_at_idx ON nursery.orders (created_at);",
                    "DROP INDEX nursery.orders_created_at_idx;")
    assert writer.ok("dry_run", draft_id=other)["passed"] is True
    applied = writer.ok("apply_migration", draft_id=never)
    assert applied["committed"] is True and applied["changes"][0]["name"] == "nursery.orders.orders_status_idx"
    assert has_index(applying_dsn, "orders_status_idx")
    assert "already applied" in writer.error("apply_migration", draft_id=never)
    assert "the schema changed since Draft" in writer.error("apply_migration", draft_id=other)
    assert not has_index(applying_dsn, "orders_created_at_idx")
    assert "no Draft 'd999'" in writer.error("apply_migration", draft_id="d999")


# --- resources -----------------------------------------------------------------------------

def test_resources(reader):
    listed = reader.wait(reader.session.list_resources()).resources
    assert {"workbench://snapshot.json", "workbench://lint-rules.md", "workbench://erd.svg"} <= {r.uri for r in listed}
    import json

    assert json.loads(reader.read("workbench://snapshot.json"))["database"].startswith("wb_mcp_")
    assert reader.read("workbench://lint-rules.md").startswith("# Lint rules")
    assert reader.read("workbench://lint-rules/duplicate_index").startswith("### `duplicate_index`")
    draft_id = drafted(reader, *STATUS_INDEX)
    assert reader.read(f"workbench://review/{draft_id}").startswith("# Schema change: Index orders.status")


@pytest.mark.parametrize("uri, message", [("workbench://lint-rules/nope", "no lint rule 'nope'"),
                                          ("workbench://review/d999", "no Draft 'd999'"),
                                          ("workbench://erd/nope.svg", "no table 'nope'")])
def test_a_bad_resource_is_a_clear_error(reader, uri, message):
    from mcp.shared.exceptions import MCPError

    with pytest.raises(MCPError, match=message):
        reader.read(uri)
