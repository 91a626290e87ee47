"""Index advice as the tenant sees it (Row Level Security), on both tiers.

A Supabase-style database (the auth shim) where the tenant filter comes only from the
policies: ``SELECT id, title FROM app.tasks WHERE status = $1`` is filtered by
``USING (user_id = auth.uid())``, ``app.projects`` by a membership sub-select. Every query is
planned, costed and timed as ``authenticated`` with the claims of the smallest, a median and
the largest tenant.
"""
import json

import psycopg
import pytest

import workbench
from workbench.errors import WorkbenchError
from workbench.indexes import advise
from workbench.samples import install_shim
from workbench.testing import scratch_database, vacuum_until_all_visible

SETUP = """
CREATE SCHEMA app;
INSERT INTO auth.users (id, email)
SELECT md5('u' || g)::uuid, 'u' || g || '@example.com' FROM generate_series(1, 200) AS g;

CREATE TABLE app.tasks (id bigint PRIMARY KEY, user_id uuid NOT NULL REFERENCES auth.users,
                        status text NOT NULL, title text NOT NULL);
INSERT INTO app.tasks
SELECT g, md5('u' || CASE WHEN g % 20 = 0 THEN 1 ELSE 1 + g % 200 END)::uuid,
       CASE WHEN g % 20 = 1 THEN 'open' ELSE 'done' END, 'task ' || g
FROM generate_series(1, 200000) AS g;
ALTER TABLE app.tasks ENABLE ROW LEVEL SECURITY;
CREATE POLICY tasks_owner ON app.tasks FOR SELECT TO authenticated USING (user_id = auth.uid());

CREATE TABLE app.orgs (id bigint PRIMARY KEY, name text NOT NULL);
INSERT INTO app.orgs SELECT g, 'org ' || g FROM generate_series(1, 100) AS g;
CREATE TABLE app.members (org_id bigint NOT NULL REFERENCES app.orgs, user_id uuid NOT NULL REFERENCES auth.users,
                          PRIMARY KEY (org_id, user_id));
INSERT INTO app.members SELECT 1 + g % 100, md5('u' || g)::uuid FROM generate_series(1, 200) AS g;
CREATE TABLE app.projects (id bigint PRIMARY KEY, org_id bigint NOT NULL REFERENCES app.orgs,
                           status text NOT NULL, name text NOT NULL);
INSERT INTO app.projects
SELECT g, CASE WHEN g % 10 = 0 THEN 1 ELSE 1 + g % 100 END, CASE WHEN g % 20 = 1 THEN 'open' ELSE 'done' END,
       'project ' || g
FROM generate_series(1, 150000) AS g;
ALTER TABLE app.projects ENABLE ROW LEVEL SECURITY;
CREATE POLICY projects_member ON app.projects FOR SELECT TO authenticated
    USING (org_id IN (SELECT org_id FROM app.members WHERE user_id = auth.uid()));

GRANT USAGE ON SCHEMA app TO authenticated;
GRANT SELECT ON app.tasks, app.projects, app.members TO authenticated;
"""

TASKS = "SELECT id, title FROM app.tasks WHERE status = $1"
PROJECTS = "SELECT id, name FROM app.projects WHERE status = $1"
FAST_POLICY = """ALTER POLICY projects_member ON app.projects
    USING (org_id = ANY (ARRAY(SELECT org_id FROM app.members WHERE user_id = (SELECT auth.uid()))))"""


@pytest.fixture(scope="module", params=["pg18", "pg15"])
def tenants_dsn(request):
    admin = request.getfixturevalue(request.param)
    with scratch_database(admin) as dsn:
        with psycopg.connect(dsn, autocommit=True) as conn:
            install_shim(conn)
            conn.execute(SETUP)
            vacuum_until_all_visible(conn)
        yield dsn


@pytest.fixture(scope="module")
def tasks_advice(tenants_dsn):
    with workbench.connect(tenants_dsn) as session:
        return advise(session, TASKS, as_role="authenticated")


def used_candidates(advice, plan):
    names = advice.run.confirmation.names
    return [names[n] for n in (plan.indexes_used() if plan else ()) if n in names]


def test_the_index_leads_with_the_tenant_column_the_policy_filters_on(tasks_advice):
    first = tasks_advice.recommended[0]
    assert first.candidate.keys[0].plain_column == "user_id"
    assert any("policy tasks_owner filters on" in note for note in first.notes)
    result = tasks_advice.queries[0]
    assert first.name in result.indexes


def test_every_tenant_is_served_by_it_and_none_is_slower(tasks_advice):
    result = tasks_advice.queries[0]
    labels = [c.sample.label for c in result.comparisons]
    assert [label.split(" tenant ")[0] for label in labels] == ["median", "smallest", "largest"]
    assert "(10,000 rows)" in labels[2]
    first = tasks_advice.recommended[0].candidate
    for comparison in result.comparisons:
        assert not comparison.slower, comparison.sample.label
        assert first in used_candidates(tasks_advice, comparison.after.plan), comparison.sample.label
        assert comparison.ratio > 5, comparison.sample.label
        assert comparison.sample.viewer.claims["role"] == "authenticated"


def test_the_plans_are_the_tenants(tasks_advice):
    """Planned as the role, the policy's predicate (auth.uid() inlined) is in the plan."""
    before = tasks_advice.queries[0].plan_before
    assert "request.jwt.claim" in before.nodes[0].filter
    assert before.nodes[0].node_type == "Seq Scan"


def test_the_narrative_names_the_policy_and_its_cost(tasks_advice):
    (note,) = tasks_advice.queries[0].policy_notes
    assert note.startswith("policy tasks_owner on app.tasks makes it slow")
    assert "calls auth.uid() on each row" in note and "reads 200,000 rows" in note
    assert f"with {tasks_advice.recommended[0].name} the scan reads only the tenant's rows" in note
    assert "policy: policy tasks_owner" in tasks_advice.summary_text()


def test_a_membership_sub_select_is_named_with_its_rewrite(tenants_dsn):
    with workbench.connect(tenants_dsn) as session:
        advice = advise(session, PROJECTS, as_role="authenticated")
    claims = [c.sample.viewer.claims for c in advice.queries[0].comparisons] or \
        [v.claims for v in advice.run.viewers]
    assert [v.label.split(" tenant ")[0] for v in advice.run.viewers] == ["median", "smallest", "largest"]
    assert advice.run.viewers[2].label.startswith("largest tenant org_id=1 ")
    assert all(c["sub"] and c["org_id"] for c in claims)
    (note,) = advice.queries[0].policy_notes
    assert "projects_member" in note and "membership sub-select" in note
    assert "ANY (ARRAY(SELECT" in note or "reads only the tenant's rows" in note
    assert not [c for q in advice.queries for c in q.comparisons if c.slower]
    measured = [c.after.plan for c in advice.queries[0].comparisons]
    for recommendation in advice.recommended:  # none only the generic (estimated) plan uses
        assert any(recommendation.candidate in used_candidates(advice, plan) for plan in measured)


def test_with_the_rewritten_policy_the_index_leads_with_the_tenant(tenants_dsn):
    with workbench.connect(tenants_dsn) as session:
        with session.conn.transaction():
            session.conn.execute(FAST_POLICY)
        try:
            advice = advise(session, PROJECTS, as_role="authenticated")
        finally:
            with session.conn.transaction():
                session.conn.execute(FAST_POLICY.replace(
                    "org_id = ANY (ARRAY(SELECT org_id FROM app.members WHERE user_id = (SELECT auth.uid())))",
                    "org_id IN (SELECT org_id FROM app.members WHERE user_id = auth.uid())"))
    first = advice.recommended[0]
    assert first.candidate.keys[0].plain_column == "org_id"
    for comparison in advice.queries[0].comparisons:
        assert not comparison.slower and first.candidate in used_candidates(advice, comparison.after.plan)


def test_given_claims_and_clean_json_from_the_cli(tenants_dsn, capsys, tmp_path):
    from workbench.cli import main

    path = tmp_path / "queries.sql"
    path.write_text(TASKS + ";\n")
    user = psycopg.connect(tenants_dsn).execute("SELECT md5('u7')::uuid::text").fetchone()[0]
    assert main(["advise", "--dsn", tenants_dsn, "-f", str(path), "--as-role", "authenticated",
                 "--claims", json.dumps({"sub": user}), "--format", "json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["as_role"] == "authenticated"
    assert data["tenants"] == [{"label": f"as authenticated with sub={user}",
                                "claims": {"role": "authenticated", "sub": user}}]
    assert data["recommended"][0]["create_index"].startswith("CREATE INDEX CONCURRENTLY tasks_user_id")
    assert data["queries"][0]["policy_notes"]
    assert captured.err == ""  # no progress bar: stderr is not a terminal


def test_a_role_the_session_cannot_take_is_a_clear_error(tenants_dsn):
    with workbench.connect(tenants_dsn) as session:
        with pytest.raises(WorkbenchError, match="there is no role 'nobody_here'"):
            advise(session, TASKS, as_role="nobody_here")
