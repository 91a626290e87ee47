"""The unseen workloads of tests/fixtures/workloads/ (helpdesk, ledger) hold their contract:
every file parses, each domain loads at a small scale on both PostgreSQL tiers with the same
rows every time, every workload and held-back statement runs (UPDATE and DELETE rolled back),
every expert index builds, and the data is as skewed as promised (one big tenant with ~40 %
of the rows, rare statuses under 2 %, ~5 % soft-deleted, two years of timestamps, e-mails in
mixed case). benchmarks/advise.py --domain runs the same domains at full scale."""
from __future__ import annotations

import re

import psycopg
import pytest
from pglast import ast, parse_sql

import workbench
from workbench.plans import explain
from workbench.testing import scratch_database
from workloads import (FILES, domains, expert_sql, expert_statements, heldback, load_domain, text,
                       workload)

SCALE = 20_000
TIERS = ["pg18", "pg15"]
SHAPES = {  # the shapes the two domains cover together (issue 15), as SQL fragments
    "OR across two columns": ["(assignee_id = 17 OR opened_by_id = 17)",
                              "(account_id = 333 OR counterparty_account_id = 333)"],
    "reverse side of a link table": ["WHERE tt.tag_id = 5", "WHERE pa.invoice_id = 1202"],
    "lower()": ["lower(email) = lower("],
    "date_trunc()": ["date_trunc('day', created_at) ="],
    "cast to date": ["paid_at::date = DATE"],
    "keyset pagination": ["(created_at, id) < ("],
    "EXISTS": ["AND EXISTS (SELECT 1"],
    "NOT EXISTS": ["NOT EXISTS (SELECT 1"],
    "LATERAL": ["CROSS JOIN LATERAL"],
    "soft delete": ["deleted_at IS NULL"],
    "UPDATE": ["UPDATE "],
    "DELETE": ["DELETE FROM "],
}
# (table, tenant share of rows), (rare condition on a table), (soft-deleted table)
CHECKS = {
    "helpdesk": {"biggest": "comments", "tenant": ["tickets", "customers", "comments"],
                 "rare": [("tickets", "status = 'new'"), ("sla_events", "met_at IS NULL AND breached_at IS NULL")],
                 "deleted": ["tickets", "customers"], "emails": "customers", "times": "tickets"},
    "ledger": {"biggest": "transactions", "tenant": ["transactions", "invoices", "accounts"],
               "rare": [("transactions", "status = 'pending'"), ("accounts", "status = 'frozen'")],
               "deleted": ["invoices"], "emails": "accounts", "times": "transactions"},
}


def test_the_domains_are_there():
    assert domains() == ["helpdesk", "ledger"]


@pytest.mark.parametrize("domain", ["helpdesk", "ledger"])
def test_every_file_parses_and_the_workloads_load(domain):
    for name in FILES:
        assert parse_sql(text(domain, name)), name
    for name in ("workload.sql", "heldback.sql", "expert.sql"):
        assert text(domain, name).isascii(), f"{name}: queries_from_sql needs ASCII"
    seen, held = workload(domain), heldback(domain)
    assert 14 <= len(seen) <= 16 and 8 <= len(held) <= 10
    for query in seen + held:
        assert query.label and not re.fullmatch(r"\w+\.sql:\d+", query.label), query.sql[:60]
        assert query.calls >= 1 and "$" not in query.sql, query.label
    assert not {" ".join(q.sql.split()) for q in seen} & {" ".join(q.sql.split()) for q in held}
    kinds = {type(raw.stmt).__name__ for q in seen for raw in parse_sql(q.sql)}
    assert {"SelectStmt", "UpdateStmt", "DeleteStmt"} <= kinds


@pytest.mark.parametrize("domain", ["helpdesk", "ledger"])
def test_the_expert_set_is_create_index_statements_each_with_its_reason(domain):
    statements = parse_sql(expert_sql(domain))
    assert statements and all(isinstance(raw.stmt, ast.IndexStmt) for raw in statements)
    names = [raw.stmt.idxname for raw in statements]
    assert len(set(names)) == len(names)
    lines = expert_sql(domain).splitlines()
    for number, line in enumerate(lines):
        if line.startswith("CREATE INDEX"):
            assert lines[number - 1].startswith("--"), f"no comment line before {line}"


def test_the_two_domains_cover_every_shape():
    everything = "\n".join(" ".join(q.sql.split()) for d in domains() for q in workload(d) + heldback(d))
    missing = [shape for shape, fragments in SHAPES.items() if not all(f in everything for f in fragments)]
    assert missing == []


@pytest.fixture(scope="module", params=[(tier, domain) for tier in TIERS for domain in CHECKS],
                ids=lambda p: f"{p[0]}-{p[1]}")
def loaded(request):
    """(domain, admin DSN, DSN) of a scratch database holding the domain at SCALE."""
    tier, domain = request.param
    admin = request.getfixturevalue(tier)
    with scratch_database(admin, prefix="wb_workload") as dsn:
        load_domain(dsn, domain, SCALE)
        yield domain, admin, dsn


def test_every_query_runs_and_changes_nothing(loaded):
    domain, _, dsn = loaded
    table = CHECKS[domain]["times"]
    with workbench.connect(dsn) as session:
        digest = f"SELECT count(*), md5(string_agg(t::text, ',' ORDER BY t.id)) FROM {domain}.{table} AS t"
        with session.rolled_back() as conn:
            before = conn.execute(digest).fetchone()
        for query in workload(domain) + heldback(domain):
            plan = explain(session, query.sql, analyze=True)
            assert plan.execution_ms is not None, query.label
        with session.rolled_back() as conn:
            assert conn.execute(digest).fetchone() == before


def test_every_expert_index_builds(loaded):
    domain, _, dsn = loaded
    with workbench.connect(dsn) as session, session.rolled_back() as conn:
        for statement in expert_statements(domain):
            conn.execute(statement)
        built = conn.execute("SELECT count(*) FROM pg_indexes WHERE schemaname = %s AND indexdef NOT LIKE "
                             "'%%UNIQUE%%'", [domain]).fetchone()[0]
    assert built == len(expert_statements(domain))


def test_the_data_is_skewed_as_promised(loaded):
    domain, _, dsn = loaded
    checks = CHECKS[domain]
    with psycopg.connect(dsn) as conn:
        def one(sql):
            return conn.execute(sql).fetchone()[0]

        biggest = one(f"SELECT count(*) FROM {domain}.{checks['biggest']}")
        assert 0.9 * SCALE <= biggest <= 1.1 * SCALE
        for table in checks["tenant"]:
            if table == "comments":  # reached through its ticket
                share = one("SELECT avg((t.org_id = 1)::int) FROM helpdesk.comments AS c "
                            "JOIN helpdesk.tickets AS t ON t.id = c.ticket_id")
            else:
                share = one(f"SELECT avg((org_id = 1)::int) FROM {domain}.{table}")
            assert 0.35 <= share <= 0.45, (table, share)
        tail = one(f"SELECT count(DISTINCT org_id) FROM {domain}.{checks['times']}")
        assert tail >= 40, "a long tail of small tenants"
        for table, condition in checks["rare"]:
            share = one(f"SELECT avg(({condition})::int) FROM {domain}.{table}")
            assert 0 < share < 0.02, (table, condition, share)
        for table in checks["deleted"]:
            share = one(f"SELECT avg((deleted_at IS NOT NULL)::int) FROM {domain}.{table}")
            assert 0.03 <= share <= 0.07, (table, share)
        days = one(f"SELECT extract(day FROM max(created_at) - min(created_at)) FROM {domain}.{checks['times']}")
        assert 700 <= days <= 731
        recent = one(f"SELECT avg((created_at >= (SELECT max(created_at) FROM {domain}.{checks['times']}) "
                     f"- interval '1 year')::int) FROM {domain}.{checks['times']}")
        assert recent > 0.6, "the business grows: most rows are of the last year"
        mixed, upper = conn.execute(f"SELECT avg((email <> lower(email))::int), avg((split_part(email, '@', 1) = upper(split_part(email, '@', 1)))::int) "
                                    f"FROM {domain}.{checks['emails']}").fetchone()
        assert mixed > 0.5 and 0 < upper < 0.1
        broken = one(f"SELECT count(*) FROM pg_constraint WHERE connamespace = '{domain}'::regnamespace "
                     "AND contype = 'f' AND NOT convalidated")
        assert broken == 0


def test_the_same_scale_gives_the_same_rows(loaded):
    domain, admin, dsn = loaded
    table = CHECKS[domain]["times"]
    digest = f"SELECT md5(string_agg(t::text, ',' ORDER BY t.id)) FROM {domain}.{table} AS t"
    with scratch_database(admin, prefix="wb_workload") as again:
        load_domain(again, domain, SCALE)
        with psycopg.connect(again) as conn:
            second = conn.execute(digest).fetchone()[0]
    with psycopg.connect(dsn) as conn:
        assert conn.execute(digest).fetchone()[0] == second
