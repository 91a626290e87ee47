"""One CREATE POLICY: the advisors' policy fixes write their SQL with the builders' policy
ops, so the same policy reads the same from either, and applies and rolls back on a real
server."""
from __future__ import annotations

import psycopg
import pytest

import workbench
from workbench.drafts import builders as b
from workbench.drafts.dryrun import dry_run
from workbench.lint.policy_fixes import PolicySpec, create_policies, recreate_policy
from workbench.samples import install_shim

SCHEMA, TABLE, POLICY = "Sales Data", "Order Items", 'own "rows" ü'
OWN = '"owner id" = (SELECT auth.uid())'
SETUP = """
CREATE SCHEMA "Sales Data";
CREATE TABLE "Sales Data"."Order Items" (id int PRIMARY KEY, "owner id" uuid);
"""


@pytest.fixture
def session(scratch_dsn):
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        install_shim(conn)
        conn.execute(SETUP)
    with workbench.connect(scratch_dsn) as session:
        yield session


def test_advisors_and_builders_write_the_same_create_policy(session):
    table = workbench.inspect(session).table((SCHEMA, TABLE))
    spec = PolicySpec(POLICY, "UPDATE", roles=("authenticated",), using=OWN, with_check=OWN)
    fix = create_policies(table, [spec], "Add a policy", "Rows of their owner only.")
    built = b.create_policy(SCHEMA, TABLE, POLICY, "UPDATE", roles=("authenticated",),
                            using=OWN, with_check=OWN)
    assert (fix.up, fix.down) == (built.up, built.down)


def builder_policy(using: str):
    return b.create_policy(SCHEMA, TABLE, POLICY, "SELECT", roles=("authenticated",), using=using)


def test_policy_fixes_apply_and_restore(session):
    table = workbench.inspect(session).table((SCHEMA, TABLE))
    spec = PolicySpec(POLICY, "SELECT", roles=("authenticated",), using=OWN)
    created = create_policies(table, [spec], "Add a policy", "why", enable=True)
    assert created.up.splitlines()[0] == 'ALTER TABLE "Sales Data"."Order Items" ENABLE ROW LEVEL SECURITY;'
    assert dry_run(session, created).restores
    with session.conn.transaction():
        session.conn.execute(created.up)
    table = workbench.inspect(session).table((SCHEMA, TABLE))
    scoped = PolicySpec(POLICY, "SELECT", roles=("authenticated",), using=f"{OWN} AND id > 0")
    rewrite = recreate_policy(table, table.policies[0], scoped, "Scope the policy", "why")
    assert rewrite.up == f"{builder_policy(OWN).down}\n{builder_policy(f'{OWN} AND id > 0').up}"
    result = dry_run(session, rewrite)
    assert result.restores, result.summary_text()
