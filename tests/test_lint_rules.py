"""Every built-in lint rule, positive and negative, on a real schema (both tiers).

One scratch database per tier holds schema ``app``: tenant tables that follow every
convention (the negative cases) next to tables that break one convention each (the positive
cases). Each test asserts the exact set of objects its rule reports in ``app``.
"""
from __future__ import annotations

import psycopg
import pytest

import workbench
from workbench.drafts.dryrun import dry_run
from workbench.lint import LintConfig, lint
from workbench.samples import install_shim
from workbench.testing import scratch_database

TIERS = ["pg18", "pg15"]
MY_ORGS = "org_id IN (SELECT app.my_orgs())"


def tenant_table(name: str, extra: str = "", *, policies: bool = True, rls: bool = True,
                 grant: str | None = "ALL") -> str:
    """A table that follows every convention of schema app, plus ``extra`` columns."""
    sql = f"""
    CREATE TABLE app.{name} (
        id bigint PRIMARY KEY,
        org_id bigint NOT NULL REFERENCES app.orgs ON DELETE CASCADE,
        {extra}
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now());
    CREATE INDEX {name}_org_id_idx ON app.{name} (org_id);
    CREATE TRIGGER {name}_set_updated_at BEFORE UPDATE ON app.{name}
        FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();
    """
    if rls:
        sql += f"ALTER TABLE app.{name} ENABLE ROW LEVEL SECURITY;\n"
    if policies:
        sql += f"""
        CREATE POLICY {name}_select ON app.{name} FOR SELECT TO authenticated USING ({MY_ORGS});
        CREATE POLICY {name}_insert ON app.{name} FOR INSERT TO authenticated WITH CHECK ({MY_ORGS});
        CREATE POLICY {name}_update ON app.{name} FOR UPDATE TO authenticated
            USING ({MY_ORGS}) WITH CHECK ({MY_ORGS});
        CREATE POLICY {name}_delete ON app.{name} FOR DELETE TO authenticated USING ({MY_ORGS});
        """
    if grant:
        sql += f"GRANT {grant} ON app.{name} TO authenticated;\n"
    return sql


APP = f"""
CREATE SCHEMA app;
GRANT USAGE ON SCHEMA app TO authenticated;
CREATE FUNCTION app.set_updated_at() RETURNS trigger LANGUAGE plpgsql SET search_path = ''
    AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE FUNCTION app.my_orgs() RETURNS SETOF bigint LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = '' AS $$ SELECT 1::bigint $$;
CREATE FUNCTION app.leaky(n integer) RETURNS bigint LANGUAGE sql SECURITY DEFINER
    AS $$ SELECT n::bigint $$;

CREATE TABLE app.orgs (id bigint PRIMARY KEY, name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());
CREATE TRIGGER orgs_set_updated_at BEFORE UPDATE ON app.orgs
    FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();
ALTER TABLE app.orgs ENABLE ROW LEVEL SECURITY;
CREATE POLICY orgs_read_all ON app.orgs FOR SELECT TO authenticated USING (true);
INSERT INTO app.orgs (id, name) VALUES (1, 'one');

{tenant_table("projects", "name text NOT NULL, password_hash text, token_count integer,")}
{tenant_table("members", "user_id uuid NOT NULL,")}
{tenant_table("prices", "amount numeric NOT NULL,", rls=False, policies=False, grant="SELECT")}
{tenant_table("notes", rls=False, policies=False, grant=None)}
{tenant_table("drafts", rls=False, policies=False)}
CREATE POLICY drafts_select ON app.drafts FOR SELECT TO authenticated USING ({MY_ORGS});
{tenant_table("settings", policies=False)}
{tenant_table("vault", policies=False, grant=None)}
{tenant_table("codes", "code text NOT NULL,", policies=False, grant=None)}
INSERT INTO app.codes (id, org_id, code) VALUES (1, 1, 'a'), (2, 1, 'a');

CREATE TABLE app.tasks (
    id bigint PRIMARY KEY,
    org_id bigint REFERENCES app.orgs ON DELETE CASCADE,
    project_id bigint NOT NULL REFERENCES app.projects,
    owner uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now());
CREATE INDEX tasks_org_id_idx ON app.tasks (org_id);
CREATE INDEX tasks_org_idx ON app.tasks (org_id);
ALTER TABLE app.tasks ENABLE ROW LEVEL SECURITY;
CREATE POLICY tasks_select_own ON app.tasks FOR SELECT TO authenticated USING (owner = auth.uid());
CREATE POLICY tasks_select_meta ON app.tasks FOR SELECT TO authenticated
    USING ((auth.jwt() -> 'user_metadata' ->> 'org') = org_id::text);
CREATE POLICY tasks_insert_any ON app.tasks FOR INSERT TO authenticated WITH CHECK (true);
CREATE POLICY tasks_update ON app.tasks FOR UPDATE TO authenticated USING ({MY_ORGS});
GRANT ALL ON app.tasks TO authenticated;

CREATE TABLE app.comments (
    id bigint PRIMARY KEY,
    task_id bigint NOT NULL REFERENCES app.tasks ON DELETE CASCADE,
    body text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now());
CREATE INDEX comments_task_id_idx ON app.comments (task_id);
CREATE TRIGGER comments_set_updated_at BEFORE UPDATE ON app.comments
    FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();

CREATE TABLE app.events (
    org_id bigint NOT NULL REFERENCES app.orgs ON DELETE CASCADE,
    at timestamptz NOT NULL,
    api_key text,
    webhook_secret_hash text);
CREATE INDEX events_org_id_idx ON app.events (org_id);
CREATE INDEX events_org_id_at_idx ON app.events (org_id, at);

CREATE VIEW app.task_list AS SELECT id, org_id FROM app.tasks;
CREATE VIEW app.task_list_safe WITH (security_invoker = true) AS SELECT id FROM app.tasks;
CREATE VIEW app.org_list AS SELECT id FROM app.orgs;
GRANT SELECT ON app.task_list, app.task_list_safe TO authenticated;
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;

CREATE SCHEMA "Style";
CREATE TABLE "Style"."TagList" (id bigint PRIMARY KEY, "labelText" text,
    owner bigint REFERENCES "Style"."TagList" (id));
CREATE INDEX "TagList_owner" ON "Style"."TagList" (owner);
CREATE TABLE "Style".good_table (id bigint PRIMARY KEY, parent_id bigint REFERENCES "Style".good_table);
CREATE INDEX idx_good_table_parent_id ON "Style".good_table (parent_id);
"""


def build(dsn: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        install_shim(conn)
        conn.execute(APP)
        with pytest.raises(psycopg.errors.UniqueViolation):
            conn.execute("CREATE UNIQUE INDEX CONCURRENTLY codes_code_key ON app.codes (code)")


@pytest.fixture(scope="module", params=TIERS)
def app_db(request):
    """A scratch database with schema app on each tier, and its snapshot."""
    admin = request.getfixturevalue(request.param)
    with scratch_database(admin, prefix="wb_lint") as dsn:
        build(dsn)
        with workbench.connect(dsn) as session:
            yield session, workbench.inspect(session)


@pytest.fixture(scope="module")
def report(app_db):
    session, schema = app_db
    return lint(schema, config=LintConfig())


def found(report, rule: str, schema: str = "app") -> set[str]:
    """The objects ``rule`` reported in ``schema``: ``table``, ``table.column`` or ``table name``."""
    return {f.object.split(".", 1)[1] for f in report.where(rule=rule) if f.schema == schema}


EXPECTED = {
    "rls_disabled": {"prices"},
    "policy_exists_rls_disabled": {"drafts"},
    "rls_enabled_no_policy": {"settings"},
    "rls_missing_command_policy": {"tasks"},
    "rls_policy_always_true": {"tasks tasks_insert_any"},
    "rls_policy_missing_with_check": {"tasks tasks_update"},
    "rls_references_user_metadata": {"tasks tasks_select_meta"},
    "security_definer_view": {"task_list"},
    "sensitive_column_plaintext": {"events.api_key"},
    "unindexed_foreign_key": {"tasks.project_id tasks_project_id_fkey"},
    "duplicate_index": {"tasks tasks_org_idx"},
    "redundant_index": {"events events_org_id_idx"},
    "invalid_index": {"codes codes_code_key"},
    "no_primary_key": {"events"},
    "auth_rls_initplan": {"tasks tasks_select_own", "tasks tasks_select_meta"},
    "multiple_permissive_policies": {"tasks role authenticated"},
    "rls_policy_column_unindexed": {"tasks.owner"},
    "missing_tenant_column": {"comments"},
    "tenant_column_nullable": {"tasks.org_id"},
    "missing_audit_columns": {"events"},
    "missing_updated_at_trigger": {"tasks"},
    "fk_missing_on_delete": {"tasks.project_id tasks_project_id_fkey"},
}


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_rule_finds_exactly_the_broken_objects(report, rule):
    assert found(report, rule) == EXPECTED[rule]


def test_schema_wide_rules(report):
    assert {f.name for f in report.where(rule="security_definer_search_path")} == {"leaky(integer)"}
    assert {f.name for f in report.where(rule="extension_in_public")} == {"pg_trgm"}


def test_naming_rules_are_off_by_default_and_work_when_enabled(app_db, report):
    assert not report.where(rule="naming_snake_case").findings
    naming = ["naming_snake_case", "naming_fk_column_suffix", "naming_index_pattern"]
    enabled = lint(app_db[1], config=LintConfig(enable=tuple(naming)))
    assert found(enabled, "naming_snake_case", "Style") == {"TagList", "TagList.labelText"}
    assert found(enabled, "naming_fk_column_suffix", "Style") == {"TagList.owner TagList_owner_fkey"}
    assert found(enabled, "naming_index_pattern", "Style") == {"TagList TagList_owner"}
    assert not found(enabled, "naming_snake_case", "app")


def test_unused_index_reads_statistics(server):
    with scratch_database(server, prefix="wb_lint") as dsn:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("""
                CREATE TABLE readings (id bigint PRIMARY KEY, kind text, reading numeric);
                CREATE INDEX readings_kind_idx ON readings (kind);
                CREATE INDEX readings_reading_idx ON readings (reading);
                INSERT INTO readings SELECT g, 'k' || g % 3, g FROM generate_series(1, 100) g;
                ANALYZE readings;""")
            conn.execute("SELECT count(*) FROM readings").fetchone()
            conn.execute("SET enable_seqscan = off")
            conn.execute("SELECT * FROM readings WHERE reading = 5").fetchall()
        with workbench.connect(dsn) as session:
            schema = workbench.inspect(session)
            without = lint(schema, config=LintConfig())
            live = lint(schema, session, LintConfig(), rules=["unused_index"])
    assert "unused_index" in without.skipped
    assert {f.name for f in live} == {"readings_kind_idx"}
    assert live[0].remediation.down.startswith("CREATE INDEX CONCURRENTLY readings_kind_idx")


def test_drafts_of_the_rule_schema_apply_and_restore(app_db, report):
    session, _ = app_db
    for finding in report:
        if finding.remediation is None or finding.rule == "invalid_index":
            continue
        result = dry_run(session, finding.remediation)
        assert result.diff, finding
        assert result.restores, (finding, result.summary_text())


def test_drafts_say_what_they_fix(report):
    by_rule = {f.rule: f.remediation for f in report if f.schema == "app"}
    assert "(SELECT auth.uid())" in by_rule["auth_rls_initplan"].up
    assert "CREATE INDEX CONCURRENTLY tasks_project_id_idx" in by_rule["unindexed_foreign_key"].up
    assert "ENABLE ROW LEVEL SECURITY" in by_rule["rls_disabled"].up
    assert "prices_select" in by_rule["rls_disabled"].up  # modelled on projects/members
    assert "app_metadata" in by_rule["rls_references_user_metadata"].up
    assert "SET search_path = ''" in by_rule["security_definer_search_path"].up
    assert by_rule["invalid_index"].irreversible
