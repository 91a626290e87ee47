"""Demo databases and the auth shim, on real PostgreSQL (embedded 18 and Debian 15).

The demos are built at a small scale under unique database names, so the tests never touch
the ``nursery``/``agent`` databases the notebooks use.
"""
from __future__ import annotations

import io
import json
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from workbench import Session, WorkbenchError
from workbench.samples import DEMOS, PLANTED, build_demos, ensure_demo, install_shim, planted_in
from workbench.samples.build import Marker
from workbench.samples.sqlfiles import read_sql
from workbench.testing import DEBIAN_PG15, scratch_database, throwaway_cluster

SCALE = 0.01
TIERS = ["pg18", "pg15"]
NURSERY_TABLES = {
    "organizations", "org_memberships", "profiles", "plant_varieties", "locations", "batches",
    "batch_logs", "transplants", "customers", "customer_contacts", "price_lists", "orders",
    "order_items", "allocations", "deliveries", "delivery_items", "invoices", "invoice_items",
    "ipm_observations", "ipm_treatments", "tasks",
}
AGENT_TABLES = {"users", "accounts", "keys", "api_tokens", "tasks", "task_messages", "connectors", "settings"}
TENANT_EXEMPT = {"organizations", "profiles"}


@dataclass
class Built:
    admin: str
    databases: dict[str, str]  # demo name -> database name
    dsns: dict[str, str]


def drop_database(admin: str, name: str) -> None:
    run(admin, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="module", params=TIERS)
def built(request):
    """Both demos at a small scale, under unique names, on each tier."""
    admin = request.getfixturevalue(request.param)
    suffix = uuid.uuid4().hex[:8]
    databases = {demo: f"wbtest_{demo}_{suffix}" for demo in DEMOS}
    try:
        dsns = {demo: ensure_demo(admin, demo, scale=SCALE, progress=False, database=db)
                for demo, db in databases.items()}
        yield Built(admin, databases, dsns)
    finally:
        for db in databases.values():
            drop_database(admin, db)


def rows(dsn: str, query, params=None) -> list[tuple]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return conn.execute(query, params).fetchall()


def run(dsn: str, statement) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(statement)


def database_info(admin: str, database: str) -> tuple[int, str]:
    return rows(admin, "SELECT oid, shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                [database])[0]


@contextmanager
def as_user(conn: psycopg.Connection, user_id, role: str = "authenticated"):
    """A rolled-back transaction impersonating ``user_id`` the way Supabase does."""
    claims = json.dumps({"sub": str(user_id), "role": role})
    with conn.transaction(force_rollback=True):
        conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role)))
        conn.execute("SELECT set_config('request.jwt.claims', %s, true)", [claims])
        yield conn


# The shim ---------------------------------------------------------------------------------

def test_shim_installs_twice_and_reads_the_jwt_claims(scratch_dsn):
    with Session(scratch_dsn) as session:
        install_shim(session)
        install_shim(session.conn)
        conn = session.conn
        assert conn.execute("SELECT auth.uid(), auth.role(), auth.jwt()").fetchone() == (None, None, None)
        sub = uuid.uuid4()
        claims = {"sub": str(sub), "role": "authenticated", "email": "ada@example.com"}
        with conn.transaction(force_rollback=True):
            conn.execute("SELECT set_config('request.jwt.claims', %s, true)", [json.dumps(claims)])
            uid, role, jwt = conn.execute("SELECT auth.uid(), auth.role(), auth.jwt()").fetchone()
        assert (uid, role, jwt["email"]) == (sub, "authenticated", "ada@example.com")
        with conn.transaction(force_rollback=True):  # an empty setting is NULL, not an error
            conn.execute("SELECT set_config('request.jwt.claims', '', true)")
            assert conn.execute("SELECT auth.uid()").fetchone()[0] is None


def test_shim_roles_and_grants(scratch_dsn):
    with Session(scratch_dsn) as session:
        install_shim(session)
        roles = {name: (login, bypass) for name, login, bypass in session.conn.execute(
            "SELECT rolname, rolcanlogin, rolbypassrls FROM pg_roles "
            "WHERE rolname IN ('anon', 'authenticated', 'service_role')").fetchall()}
        assert roles == {"anon": (False, False), "authenticated": (False, False), "service_role": (False, True)}
        for role in roles:
            assert session.conn.execute("SELECT has_function_privilege(%s, 'auth.uid()', 'EXECUTE'), "
                                        "has_schema_privilege(%s, 'auth', 'USAGE')", [role, role]).fetchone() == (True, True)
        kinds = session.conn.execute("SELECT p.proname, p.provolatile, l.lanname FROM pg_proc AS p "
                                     "JOIN pg_language AS l ON l.oid = p.prolang "
                                     "WHERE p.pronamespace = 'auth'::regnamespace ORDER BY 1").fetchall()
        assert kinds == [("jwt", "s", "sql"), ("role", "s", "sql"), ("uid", "s", "sql")]


def test_shim_installs_concurrently_into_a_fresh_cluster():
    """Roles are cluster-wide: parallel first installs into several databases must all succeed."""
    if not (DEBIAN_PG15 / "initdb").exists():
        pytest.skip(f"no PostgreSQL server programs in {DEBIAN_PG15}")
    errors: list[BaseException] = []

    def install(dsn: str) -> None:
        try:
            with Session(dsn) as session:
                install_shim(session)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    with throwaway_cluster(DEBIAN_PG15) as admin:
        assert rows(admin, "SELECT count(*) FROM pg_roles WHERE rolname = 'authenticated'")[0][0] == 0
        with scratch_database(admin) as a, scratch_database(admin) as b, scratch_database(admin) as c:
            threads = [threading.Thread(target=install, args=(dsn,)) for dsn in (a, b, c, a, b, c)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert errors == []
            for dsn in (a, b, c):
                assert rows(dsn, "SELECT to_regprocedure('auth.uid()') IS NOT NULL")[0][0]


def test_schema_files_need_only_the_shim_and_drop_cleanly(scratch_dsn):
    with Session(scratch_dsn) as session:
        install_shim(session)
        conn = session.conn
        for demo in DEMOS:
            with conn.transaction():
                conn.execute(read_sql(f"{demo}_schema.sql"))
            with conn.transaction():
                conn.execute(read_sql(f"{demo}_drop.sql"))
            assert conn.execute("SELECT to_regnamespace(%s)", [demo]).fetchone()[0] is None
        assert conn.execute("SELECT to_regprocedure('auth.uid()') IS NOT NULL").fetchone()[0]


# Building -----------------------------------------------------------------------------------

def test_bad_name_or_scale_is_a_clear_error(pg18):
    with pytest.raises(WorkbenchError, match="unknown demo database 'shop'") as info:
        ensure_demo(pg18, "shop", scale=SCALE)
    assert "nursery" in info.value.hint and "agent" in info.value.hint
    for scale in (0, -1, float("nan"), "lots"):
        with pytest.raises(WorkbenchError, match="bad demo scale") as info:
            ensure_demo(pg18, "nursery", scale=scale)
        assert info.value.hint
    with pytest.raises(WorkbenchError, match="unknown demo"):
        build_demos(pg18, ("nursery", "shop"), scale=SCALE)


def test_ensure_demo_is_idempotent(built):
    database = built.databases["nursery"]
    before = database_info(built.admin, database)
    started = time.perf_counter()
    dsn = ensure_demo(built.admin, "nursery", scale=SCALE, progress=False, database=database)
    assert time.perf_counter() - started < 2
    assert dsn == built.dsns["nursery"]
    assert database_info(built.admin, database) == before  # same database, same marker: no rebuild
    marker = Marker.parse(before[1])
    assert marker.demo == "nursery" and marker.scale == SCALE


def test_no_half_built_database_is_left_behind(built):
    building = [db + "__building" for db in built.databases.values()]
    assert rows(built.admin, "SELECT datname FROM pg_database WHERE datname = ANY(%s)", [building]) == []


def test_nursery_has_its_tables_and_data(built):
    dsn = built.dsns["nursery"]
    tables = {name for (name,) in rows(dsn, "SELECT tablename FROM pg_tables WHERE schemaname = 'nursery'")}
    assert tables == NURSERY_TABLES
    counts = dict(rows(dsn, "SELECT relname, n_live_tup FROM pg_stat_user_tables WHERE schemaname = 'nursery'"))
    assert all(counts[t] > 0 for t in NURSERY_TABLES), counts
    statuses = dict(rows(dsn, "SELECT status::text, count(*) FROM nursery.orders GROUP BY 1"))
    assert statuses["delivered"] > 0.8 * sum(statuses.values())
    assert 0 < statuses.get("pending", 0) < 0.05 * sum(statuses.values())
    first, last = rows(dsn, "SELECT min(ordered_at), max(ordered_at) FROM nursery.orders")[0]
    assert (last - first).days > 2 * 365


def test_tenants_are_skewed(built):
    sizes = [n for (n,) in rows(built.dsns["nursery"],
                                "SELECT count(*) FROM nursery.tasks GROUP BY org_id ORDER BY 1 DESC")]
    assert len(sizes) >= 6
    assert sum(sizes[:3]) > 0.5 * sum(sizes)  # a few big organizations hold most rows
    assert sizes[-1] < sizes[0] / 10


def test_agent_has_its_tables_and_secrets_are_not_plain(built):
    dsn = built.dsns["agent"]
    tables = {name for (name,) in rows(dsn, "SELECT tablename FROM pg_tables WHERE schemaname = 'agent'")}
    assert tables == AGENT_TABLES
    types = dict(rows(dsn, "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
                           "WHERE table_schema = 'agent'"))
    for column in ("keys.encrypted_key", "api_tokens.token_hash", "connectors.env_encrypted",
                   "accounts.access_token_encrypted"):
        assert types[column] == "bytea"
    assert rows(dsn, "SELECT bool_and(octet_length(token_hash) = 32) FROM agent.api_tokens")[0][0]
    # every message belongs to the user of its task
    assert rows(dsn, "SELECT count(*) FROM agent.task_messages m JOIN agent.tasks t ON t.id = m.task_id "
                     "WHERE t.user_id <> m.user_id")[0][0] == 0


FOREIGN_KEYS = """
SELECT c.conname, c.conrelid::regclass::text, c.confrelid::regclass::text,
       array_agg(a.attname ORDER BY k.i), array_agg(fa.attname ORDER BY k.i)
FROM pg_constraint AS c
CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(attnum, fattnum, i)
JOIN pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
JOIN pg_attribute AS fa ON fa.attrelid = c.confrelid AND fa.attnum = k.fattnum
WHERE c.contype = 'f' AND c.connamespace = %s::regnamespace
GROUP BY c.oid, c.conname, c.conrelid, c.confrelid
"""


@pytest.mark.parametrize("demo", DEMOS)
def test_every_foreign_key_holds(built, demo):
    """The load skips FK triggers, so check every key for orphans (NULLs are allowed)."""
    dsn = built.dsns[demo]
    keys = rows(dsn, FOREIGN_KEYS, [demo])
    assert len(keys) >= 9
    with psycopg.connect(dsn, autocommit=True) as conn:
        for name, child, parent, columns, parent_columns in keys:
            match = sql.SQL(" AND ").join(
                sql.SQL("p.{} = c.{}").format(sql.Identifier(pc), sql.Identifier(cc))
                for cc, pc in zip(columns, parent_columns))
            present = sql.SQL(" AND ").join(sql.SQL("c.{} IS NOT NULL").format(sql.Identifier(cc)) for cc in columns)
            orphans = sql.SQL("SELECT count(*) FROM {} AS c WHERE {} AND NOT EXISTS (SELECT 1 FROM {} AS p WHERE {})").format(
                sql.SQL(child), present, sql.SQL(parent), match)
            assert conn.execute(orphans).fetchone()[0] == 0, f"{name}: orphans in {child}"


def test_rls_isolates_nursery_tenants(built):
    with psycopg.connect(built.dsns["nursery"], autocommit=True) as conn:
        member, org = conn.execute(
            "SELECT user_id, min(org_id) FROM nursery.org_memberships GROUP BY user_id "
            "HAVING count(*) = 1 AND min(org_id) = 2 ORDER BY user_id LIMIT 1").fetchone()
        expected = {t: conn.execute(sql.SQL("SELECT count(*) FROM nursery.{} WHERE org_id = %s").format(
            sql.Identifier(t)), [org]).fetchone()[0] for t in ("orders", "tasks", "batches")}
        with as_user(conn, member):
            for table, count in expected.items():
                seen = conn.execute(sql.SQL("SELECT org_id, count(*) FROM nursery.{} GROUP BY 1").format(
                    sql.Identifier(table))).fetchall()
                assert seen == [(org, count)], table
            assert conn.execute("SELECT array_agg(id) FROM nursery.organizations").fetchone()[0] == [org]
            # the planted P02: price_lists has no RLS, so every tenant's prices show
            assert conn.execute("SELECT count(DISTINCT org_id) FROM nursery.price_lists").fetchone()[0] > 1
        with as_user(conn, uuid.uuid4()):  # a stranger sees nothing
            assert conn.execute("SELECT count(*) FROM nursery.orders").fetchone()[0] == 0


def test_rls_isolates_agent_users(built):
    with psycopg.connect(built.dsns["agent"], autocommit=True) as conn:
        user, tasks, messages = conn.execute(
            "SELECT t.user_id, count(DISTINCT t.id), count(m.id) FROM agent.tasks t "
            "JOIN agent.task_messages m ON m.task_id = t.id GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1").fetchone()
        with as_user(conn, user):
            assert conn.execute("SELECT count(*), count(DISTINCT user_id) FROM agent.tasks").fetchone() == (tasks, 1)
            assert conn.execute("SELECT count(*) FROM agent.task_messages").fetchone()[0] == messages
            assert conn.execute("SELECT count(*) FROM agent.settings").fetchone()[0] == 0  # planted P09
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                with conn.transaction():
                    conn.execute("INSERT INTO agent.tasks (user_id, title, prompt, repo_url) "
                                 "VALUES (gen_random_uuid(), 'x', 'x', 'x')")


class Terminal(io.StringIO):
    """A stderr that says it is a terminal (progress bars show only on one)."""

    def isatty(self) -> bool:
        return True


def test_demo_is_deterministic_and_rebuilds_on_a_new_scale(built, monkeypatch):
    """Same scale, same rows; another scale rebuilds; progress goes to stderr (a terminal)."""
    admin = built.admin
    copy = built.databases["nursery"] + "_copy"
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    try:
        dsn = ensure_demo(admin, "nursery", scale=SCALE, progress=True, database=copy)
        assert "building" in terminal.getvalue()
        assert table_fingerprint(dsn) == table_fingerprint(built.dsns["nursery"])
        oid = database_info(admin, copy)[0]
        ensure_demo(admin, "nursery", scale=SCALE * 2, progress=False, database=copy)
        oid2, comment = database_info(admin, copy)
        assert oid2 != oid and Marker.parse(comment).scale == SCALE * 2
        assert rows(dsn, "SELECT count(*) FROM nursery.tasks")[0][0] > rows(
            built.dsns["nursery"], "SELECT count(*) FROM nursery.tasks")[0][0]
    finally:
        drop_database(admin, copy)


def table_fingerprint(dsn: str) -> dict:
    """Row counts of every nursery table, and checksums of a few."""
    counts = {table: rows(dsn, sql.SQL("SELECT count(*) FROM nursery.{}").format(sql.Identifier(table)))[0][0]
              for table in sorted(NURSERY_TABLES)}
    checksums = {table: rows(dsn, sql.SQL("SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM nursery.{} AS t")
                             .format(sql.Identifier(table)))[0][0]
                 for table in ("orders", "order_items", "tasks")}
    return {"counts": counts, "checksums": checksums}


def test_refuses_to_replace_a_database_it_did_not_build(server):
    with scratch_database(server, prefix="wbtest_foreign") as dsn:
        name = rows(dsn, "SELECT current_database()")[0][0]
        with pytest.raises(WorkbenchError, match="not a workbench demo") as info:
            ensure_demo(server, "agent", scale=SCALE, progress=False, database=name)
        assert "force=True" in info.value.hint


# Planted problems ---------------------------------------------------------------------------

UNINDEXED_FKS = """
SELECT c.conrelid::regclass::text || '.' || a.attname
FROM pg_constraint AS c
JOIN pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
WHERE c.contype = 'f' AND c.connamespace = %s::regnamespace
  AND NOT EXISTS (SELECT 1 FROM pg_index AS i WHERE i.indrelid = c.conrelid
                  AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey)
"""
RLS_DISABLED = """
SELECT c.oid::regclass::text FROM pg_class AS c
WHERE c.relnamespace = %s::regnamespace AND c.relkind = 'r' AND NOT c.relrowsecurity
"""
RLS_NO_POLICY = """
SELECT c.oid::regclass::text FROM pg_class AS c
WHERE c.relnamespace = %s::regnamespace AND c.relkind = 'r' AND c.relrowsecurity
  AND NOT EXISTS (SELECT 1 FROM pg_policy AS p WHERE p.polrelid = c.oid)
"""
POLICY_TEXT = """
SELECT p.polrelid::regclass::text, p.polname,
       coalesce(pg_get_expr(p.polqual, p.polrelid), '') || ' ' || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '')
FROM pg_policy AS p JOIN pg_class AS c ON c.oid = p.polrelid
WHERE c.relnamespace = %s::regnamespace
"""
NO_UPDATED_AT_TRIGGER = """
SELECT c.oid::regclass::text FROM pg_class AS c
JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attname = 'updated_at'
WHERE c.relnamespace = %s::regnamespace AND c.relkind = 'r'
  AND NOT EXISTS (SELECT 1 FROM pg_trigger AS t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal
                  AND t.tgtype & 2 = 2 AND t.tgtype & 16 = 16)  -- BEFORE, UPDATE
"""
NO_TENANT_COLUMN = """
SELECT c.relname FROM pg_class AS c
WHERE c.relnamespace = 'nursery'::regnamespace AND c.relkind = 'r'
  AND NOT EXISTS (SELECT 1 FROM pg_attribute AS a WHERE a.attrelid = c.oid AND a.attname = 'org_id')
"""
DUPLICATE_INDEXES = """
SELECT array_agg(ci.relname::text ORDER BY ci.relname)
FROM pg_index AS i JOIN pg_class AS ci ON ci.oid = i.indexrelid
WHERE ci.relnamespace = %s::regnamespace
GROUP BY i.indrelid, i.indkey::text, i.indclass::text, i.indcollation::text,
         coalesce(pg_get_expr(i.indexprs, i.indrelid), ''), coalesce(pg_get_expr(i.indpred, i.indrelid), ''), ci.relam
HAVING count(*) > 1
"""
PLAINTEXT_SECRETS = """
SELECT c.oid::regclass::text || '.' || a.attname
FROM pg_attribute AS a JOIN pg_class AS c ON c.oid = a.attrelid
WHERE c.relnamespace = %s::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
  AND a.attname ~ '(^|_)(password|passwd|secret|token|api_key)$' AND a.atttypid IN ('text'::regtype, 'varchar'::regtype)
"""


def bare_auth_call(expression: str) -> bool:
    """An auth.uid()/auth.jwt()/auth.role() call not wrapped in a scalar subquery."""
    text = expression.replace("( SELECT auth.", "(SELECT auth.")
    for function in ("auth.uid()", "auth.jwt()", "auth.role()"):
        if text.count(function) > text.count("(SELECT " + function):
            return True
    return False


def findings(dsn: str, schema: str) -> set[tuple[str, str]]:
    """(rule, object) pairs a plain catalog scan finds; the advisors must find at least these."""
    found = set()
    for (obj,) in rows(dsn, UNINDEXED_FKS, [schema]):
        found.add(("unindexed_foreign_key", obj))
    for (obj,) in rows(dsn, RLS_DISABLED, [schema]):
        found.add(("rls_disabled", obj))
    for (obj,) in rows(dsn, RLS_NO_POLICY, [schema]):
        found.add(("rls_enabled_no_policy", obj))
    for table, _policy, text in rows(dsn, POLICY_TEXT, [schema]):
        if bare_auth_call(text):
            found.add(("auth_rls_initplan", table))
    for (obj,) in rows(dsn, NO_UPDATED_AT_TRIGGER, [schema]):
        found.add(("missing_updated_at_trigger", obj))
    if schema == "nursery":
        for (name,) in rows(dsn, NO_TENANT_COLUMN):
            if name not in TENANT_EXEMPT:
                found.add(("missing_tenant_column", f"nursery.{name}"))
    for (names,) in rows(dsn, DUPLICATE_INDEXES, [schema]):
        table = rows(dsn, "SELECT indrelid::regclass::text FROM pg_index WHERE indexrelid = %s::regclass",
                     [f"{schema}.{names[0]}"])[0][0]
        found.add(("duplicate_index", table))
    for (obj,) in rows(dsn, PLAINTEXT_SECRETS, [schema]):
        found.add(("sensitive_column_plaintext", obj))
    return found


@pytest.mark.parametrize("demo", DEMOS)
def test_planted_problems_exist_and_nothing_else_is_wrong(built, demo):
    dsn = built.dsns[demo]
    planted = {(p.rule, p.object) for p in planted_in(demo) if p.rule != "hot_query_unindexed"}
    assert findings(dsn, demo) == planted


def test_planted_details_match_the_catalog(built):
    nursery, agent = built.dsns["nursery"], built.dsns["agent"]
    by_id = {p.id: p for p in PLANTED}
    policy = rows(nursery, "SELECT pg_get_expr(polqual, polrelid) FROM pg_policy WHERE polname = %s",
                  [by_id["P03"].detail[0]])
    assert policy and "auth.uid()" in policy[0][0] and "SELECT auth.uid()" not in policy[0][0]
    dupes = [names for (names,) in rows(nursery, DUPLICATE_INDEXES, ["nursery"])]
    assert dupes == [list(by_id["P06"].detail)]
    for pid, dsn in (("P01", nursery), ("P11", agent)):
        assert rows(dsn, "SELECT count(*) FROM pg_constraint WHERE conname = %s AND contype = 'f'",
                    [by_id[pid].detail[0]])[0][0] == 1
    assert rows(nursery, "SELECT count(*) FROM nursery.customers WHERE portal_password IS NOT NULL")[0][0] > 0
    assert rows(agent, "SELECT count(*) FROM agent.connectors WHERE webhook_secret LIKE 'whsec_%%'")[0][0] > 0


def test_hot_query_has_no_index_and_scans_the_table(built):
    planted = next(p for p in PLANTED if p.rule == "hot_query_unindexed")
    dsn = built.dsns[planted.database]
    indexed = rows(dsn, "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                        "AND a.attnum = ANY(i.indkey::int2[]) WHERE i.indrelid = %s::regclass", [planted.object])
    assert not {column for (column,) in indexed} & set(planted.detail)
    plan = rows(dsn, "EXPLAIN (FORMAT JSON) " + planted.query)[0][0][0]["Plan"]
    assert "Seq Scan" in json.dumps(plan)
    assert rows(dsn, f"SELECT count(*) FROM ({planted.query}) AS q")[0][0] > 0


def test_planted_md_documents_every_problem():
    text = (Path(__file__).parents[1] / "workbench" / "samples" / "PLANTED.md").read_text()
    assert len(PLANTED) >= 8 and {p.database for p in PLANTED} == set(DEMOS)
    for p in PLANTED:
        assert f"| {p.id} |" in text and f"`{p.rule}`" in text, p.id
    hot = next(p for p in PLANTED if p.query)
    assert " ".join(hot.query.split()) in " ".join(text.split())


def test_shim_in_a_built_demo_is_the_same_shim(built):
    for dsn in built.dsns.values():
        with Session(dsn) as session:
            install_shim(session)  # idempotent on a demo too
        assert rows(dsn, "SELECT count(*) FROM pg_tables WHERE schemaname = 'auth'")[0][0] == 1


def test_shim_leaves_an_auth_schema_owned_by_another_role_alone(server):
    """On Supabase the auth functions belong to the auth service: do not replace them."""
    owner = f"wbtest_auth_admin_{uuid.uuid4().hex[:8]}"
    run(server, sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(owner)))
    try:
        with scratch_database(server) as dsn, Session(dsn) as session:
            conn = session.conn
            conn.execute(sql.SQL("CREATE SCHEMA auth AUTHORIZATION {}").format(sql.Identifier(owner)))
            conn.execute("CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT NULL::uuid $$")
            conn.execute(sql.SQL("ALTER FUNCTION auth.uid() OWNER TO {}").format(sql.Identifier(owner)))
            install_shim(session)
            assert conn.execute("SELECT to_regclass('auth.users')").fetchone()[0] is None
            assert "NULL::uuid" in conn.execute("SELECT prosrc FROM pg_proc WHERE oid = 'auth.uid()'::regprocedure").fetchone()[0]
    finally:
        run(server, sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(owner)))


@pytest.mark.parametrize("demo", DEMOS)
def test_builds_as_a_plain_role_with_createdb(server, demo):
    """Without superuser rights the load keeps foreign-key checks on; it must still succeed."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    role = f"wbtest_builder_{uuid.uuid4().hex[:8]}"
    database = f"wbtest_plain_{uuid.uuid4().hex[:8]}"
    with scratch_database(server) as dsn, Session(dsn) as session:
        install_shim(session)  # the API roles exist on the cluster, as on a managed server
    run(server, sql.SQL("CREATE ROLE {} LOGIN CREATEDB").format(sql.Identifier(role)))
    params = conninfo_to_dict(server)
    params["user"] = role
    try:
        dsn = ensure_demo(make_conninfo(**params), demo, scale=SCALE, progress=False, database=database)
        owner, tables = rows(dsn, "SELECT pg_get_userbyid(d.datdba), (SELECT count(*) FROM pg_tables "
                                  "WHERE schemaname = %s) FROM pg_database AS d WHERE d.datname = current_database()",
                             [demo])[0]
        assert owner == role and tables == (21 if demo == "nursery" else 8)
        assert rows(dsn, sql.SQL("SELECT count(*) FROM {}.tasks").format(sql.Identifier(demo)))[0][0] > 0
    finally:
        drop_database(server, database)
        run(server, sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


def test_a_failed_build_leaves_nothing_behind(server, monkeypatch):
    import workbench.samples.generate as generate

    real_steps = generate.steps
    monkeypatch.setattr(generate, "steps", lambda name: real_steps(name)[:3] + [("broken", "SELECT 1/0")])
    database = f"wbtest_broken_{uuid.uuid4().hex[:8]}"
    with pytest.raises(psycopg.errors.DivisionByZero):
        ensure_demo(server, "agent", scale=SCALE, progress=False, database=database)
    names = [database, database + "__building"]
    assert rows(server, "SELECT datname FROM pg_database WHERE datname = ANY(%s)", [names]) == []
