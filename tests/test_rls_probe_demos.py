"""The RLS probe on the demo databases: the matrix, the planted RLS problems, no leak on the
tables whose policies scope rows to the tenant, quick, and nothing left behind."""
from __future__ import annotations

import pytest

import workbench
from workbench.verify.rls import probe

# tasks_update_assignee (the policy of planted problem P03) checks the assignee but not the
# organization: an assignee can move its task into another organization.
KNOWN_LEAKS = {("nursery.tasks", "UPDATE")}


@pytest.fixture(scope="module")
def demos():
    """A session and a probe report for each demo database."""
    opened = {}
    for name in ("nursery", "agent"):
        session = workbench.connect(workbench.demo_dsn(name, progress=False))
        opened[name] = (session, probe(session))
    yield opened
    for session, _ in opened.values():
        session.close()


def by_table(report, table: str) -> dict:
    return {r.command: r for r in report.results if r.table == table}


@pytest.mark.parametrize("name, tables", [("nursery", 21), ("agent", 8)])
def test_the_matrix_covers_every_table_and_command(demos, name, tables):
    _, report = demos[name]
    matrix = report.matrix
    assert len(matrix) == 4 * tables
    assert set(matrix["command"]) == {"SELECT", "INSERT", "UPDATE", "DELETE"}
    assert set(matrix["verdict"]) <= {"isolated", "LEAK", "not probed", "no RLS"}


def test_price_lists_has_no_rls(demos):
    _, report = demos["nursery"]
    price_lists = by_table(report, "nursery.price_lists")
    assert {r.verdict for r in price_lists.values()} == {"no RLS"}
    assert price_lists["SELECT"].failing
    assert not report.ok


def test_settings_without_policy_is_isolated_but_blocked_for_own_rows(demos):
    _, report = demos["agent"]
    for result in by_table(report, "agent.settings").values():
        assert (result.verdict, result.own) == ("isolated", "blocked"), result.line()
        assert "blocked for own rows" in result.detail


def test_no_leak_where_policies_scope_rows_to_the_tenant(demos):
    found = {(r.table, r.command) for _, report in demos.values() for r in report.leaks}
    assert found <= KNOWN_LEAKS
    _, agent = demos["agent"]
    assert agent.ok, agent.text()


def test_the_assignee_policy_lets_a_task_move_to_another_organization(demos):
    _, report = demos["nursery"]
    update = by_table(report, "nursery.tasks")["UPDATE"]
    assert update.verdict == "LEAK"
    assert update.policies == ("tasks_update_assignee",)


def test_org_tables_are_probed_through_the_membership(demos):
    _, report = demos["nursery"]
    assert "nursery.organizations" in report.tenancy and "nursery.org_memberships" in report.tenancy
    treatments = by_table(report, "nursery.ipm_treatments")
    assert {r.verdict for r in treatments.values()} == {"isolated"}
    assert treatments["SELECT"].tenancy == "observation_id → nursery.ipm_observations"
    assert by_table(report, "nursery.org_memberships")["UPDATE"].own == "allowed"


@pytest.mark.parametrize("name", ["nursery", "agent"])
def test_the_demo_probe_is_quick(demos, name):
    _, report = demos[name]
    assert report.seconds < 10


def test_the_demo_is_unchanged_after_a_probe(demos):
    session, _ = demos["nursery"]
    count = "SELECT (SELECT count(*) FROM auth.users), (SELECT count(*) FROM nursery.organizations)"
    before, counts = workbench.inspect(session), session.conn.execute(count).fetchone()
    probe(session, tables=["nursery.organizations", "nursery.tasks"])
    assert workbench.inspect(session) == before
    assert session.conn.execute(count).fetchone() == counts
