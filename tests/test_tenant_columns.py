"""One source for the tenant columns: ``[tool.workbench.lint] tenant_columns``.

The advisors, the builders, index advice, the report and the RLS probe's tenancy all read
the project's configuration, so changing it changes what each of them does; an invalid
configuration is the same clear error in the report as in ``workbench lint``.
"""
from __future__ import annotations

import psycopg
import pytest

import workbench
from workbench.drafts import Draft
from workbench.drafts import builders as b
from workbench.errors import WorkbenchError
from workbench.indexes import candidates
from workbench.lint import lint
from workbench.lint.config import load_config
from workbench.report import ReportConfig, gather
from workbench.report.checklist import Facts
from workbench.report.gather import tenant_columns
from workbench.testing import scratch_database
from workbench.verify.rls.tenancy import infer_tenancy

ORG_CONFIG = 'tenant_columns = ["org_id", "user_id"]'
WORKSPACE_CONFIG = 'tenant_columns = ["workspace_id", "owner_user_id"]'
SETUP = """
CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid PRIMARY KEY);
CREATE SCHEMA app;
CREATE TABLE app.tasks (id bigint PRIMARY KEY, org_id bigint, workspace_id bigint,
                        owner_user_id uuid, title text);
CREATE TABLE app.notes (id bigint PRIMARY KEY, org_id bigint, workspace_id bigint,
                        owner_user_id uuid, body text);
CREATE TABLE app.boards (id bigint PRIMARY KEY, workspace_id bigint, name text);
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    """Make the project home a folder whose pyproject.toml has the given lint settings."""
    def configure(settings: str):
        (tmp_path / "pyproject.toml").write_text(f"[tool.workbench.lint]\n{settings}\n")
        monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    return configure


@pytest.fixture(scope="module")
def session(pg18):
    with scratch_database(pg18, prefix="wb_tenants") as dsn:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(SETUP)
        with workbench.connect(dsn) as session:
            yield session


@pytest.fixture(scope="module")
def schema(session):
    return workbench.inspect(session)


def lint_error() -> str:
    with pytest.raises(WorkbenchError) as raised:
        load_config()
    return str(raised.value)


def test_an_invalid_lint_config_is_the_same_error_in_the_report(project):
    project('tenant_columns = "org_id"')
    expected = lint_error()
    assert "tenant_columns" in expected
    with pytest.raises(WorkbenchError) as raised:
        tenant_columns(ReportConfig())
    assert str(raised.value) == expected


def test_the_report_on_a_database_refuses_an_invalid_lint_config(project, session):
    project("tenant_columns = [1, 2]")
    expected = lint_error()
    draft = Draft("Add labels", "CREATE TABLE app.labels (id int PRIMARY KEY);", "DROP TABLE app.labels;")
    with pytest.raises(WorkbenchError) as raised:
        gather(session, draft, config=ReportConfig())
    assert str(raised.value) == expected


def test_the_report_override_is_checked_as_lint_checks_it():
    with pytest.raises(WorkbenchError, match="tenant_columns: expected a list of non-empty strings"):
        ReportConfig.from_dict({"tenant_columns": ["org_id", ""]})
    assert tenant_columns(ReportConfig.from_dict({"tenant_columns": ["team_id"]})) == ("team_id",)


def nullable_tenant_columns(schema) -> set[str]:
    return {f.column for f in lint(schema, rules=["tenant_column_nullable"])}


def new_table_columns(schema) -> str:
    return b.create_table("app", "things", tenancy="org", policies=None, snapshot=schema).up


def first_key(schema) -> str:
    found = candidates("SELECT id FROM app.tasks WHERE title = $1 AND workspace_id = $2", schema)
    return found.candidates[0].keys[0].sql


def board_is_tenant_table(schema) -> bool:
    facts = Facts(before=schema, after=schema, simulated=True, tenant_columns=tenant_columns(ReportConfig()))
    return facts.is_tenant_table(schema.table(("app", "boards")))


def note_owner(schema) -> str | None:
    found = infer_tenancy(schema).of(("app", "notes"))
    return found.column if found else None


def test_every_consumer_follows_the_configured_tenant_columns(project, schema):
    project(ORG_CONFIG)
    assert nullable_tenant_columns(schema) == {"org_id"}
    assert "org_id bigint NOT NULL" in new_table_columns(schema)
    assert first_key(schema) == "title"
    assert not board_is_tenant_table(schema)
    assert note_owner(schema) is None

    project(WORKSPACE_CONFIG)
    assert nullable_tenant_columns(schema) == {"workspace_id"}
    assert "workspace_id bigint NOT NULL" in new_table_columns(schema)
    assert first_key(schema) == "workspace_id"
    assert board_is_tenant_table(schema)
    assert note_owner(schema) == "owner_user_id"
