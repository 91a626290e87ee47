"""The lint engine around the rules: registry, configuration, report, docs page and CLI."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import psycopg
import pytest

import workbench
from workbench.cli import lint as lint_command
from workbench.errors import WorkbenchError
from workbench.lint import REGISTRY, LintConfig, Registry, lint, load_config, render_docs, rule
from workbench.lint.docs import docs_path

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def nursery():
    with workbench.connect(workbench.demo_dsn("nursery", progress=False)) as session:
        yield session, workbench.inspect(session)


# --- registry -----------------------------------------------------------------------------

def test_duplicate_rule_id_is_refused():
    registry = Registry()
    registry.rule("my_rule", level="warn", categories=["convention"], summary="s", why="w",
                  fix="f")(lambda ctx: [])
    with pytest.raises(WorkbenchError, match="already registered"):
        registry.rule("my_rule", level="info", categories=["convention"], summary="s", why="w",
                      fix="f")(lambda ctx: [])
    with pytest.raises(WorkbenchError, match="already registered"):
        rule("unindexed_foreign_key", level="warn", categories=["performance"], summary="s",
             why="w", fix="f")(lambda ctx: [])


@pytest.mark.parametrize("rule_id, level, categories, problem", [
    ("Bad-Id", "warn", ["security"], "bad rule id"),
    ("ok_id", "fatal", ["security"], "level must be"),
    ("ok_id", "warn", ["style"], "categories must be"),
])
def test_malformed_rules_are_refused(rule_id, level, categories, problem):
    with pytest.raises(WorkbenchError, match=problem):
        Registry().rule(rule_id, level=level, categories=categories, summary="s", why="w",
                        fix="f")(lambda ctx: [])


def test_a_team_rule_runs_like_a_built_in(nursery):
    registry = Registry()

    @registry.rule("tables_need_comments", level="info", categories=["convention"],
                   summary="A table has no comment", why="Readers need it.", fix="COMMENT ON.")
    def tables_need_comments(ctx):
        return [ctx.finding("no comment", table=t) for t in ctx.tables if not t.comment]

    report = lint(nursery[1], config=LintConfig(), registry=registry)
    assert report.rules == ("tables_need_comments",)
    assert not report.findings  # every nursery table has a comment


def test_a_broken_rule_is_named(nursery):
    registry = Registry()
    registry.rule("broken", level="info", categories=["convention"], summary="s", why="w",
                  fix="f")(lambda ctx: [1 / 0])
    with pytest.raises(WorkbenchError, match="lint rule broken failed: ZeroDivisionError"):
        lint(nursery[1], config=LintConfig(), registry=registry)


def test_plugins_register_rules_on_import(nursery, tmp_path, monkeypatch):
    (tmp_path / "team_rules_for_test.py").write_text(
        "from workbench.lint import rule\n\n"
        "@rule('team_every_table', level='info', categories=['convention'], summary='s',\n"
        "      why='w', fix='f')\n"
        "def check(ctx):\n"
        "    return [ctx.finding('seen', table=t) for t in ctx.tables]\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        report = lint(nursery[1], config=LintConfig(plugins=("team_rules_for_test",)))
        assert len(report.where(rule="team_every_table")) == len(
            [t for t in nursery[1].objects.tables if t.schema == "nursery" and t.kind == "table"])
    finally:
        REGISTRY.unregister("team_every_table")
        monkeypatch.delitem(__import__("sys").modules, "team_rules_for_test")
    with pytest.raises(WorkbenchError, match="plugins: cannot import 'no_such_module_x'"):
        lint(nursery[1], config=LintConfig(plugins=("no_such_module_x",)))


# --- configuration ------------------------------------------------------------------------

@pytest.mark.parametrize("data, key", [
    ({"disabel": ["x"]}, "disabel"),
    ({"disable": "fk_missing_on_delete"}, "disable"),
    ({"levels": {"unindexed_foreign_key": "fatal"}}, "levels.unindexed_foreign_key"),
    ({"ignore": ["not a key"]}, "ignore"),
    ({"index_name_pattern": "idx_{tabel}"}, "index_name_pattern"),
    ({"tenant_columns": [1]}, "tenant_columns"),
])
def test_bad_config_names_the_key(data, key):
    with pytest.raises(WorkbenchError) as caught:
        LintConfig.from_dict(data, source="test")
    assert key in str(caught.value)


def test_unknown_rule_in_config_names_the_key(nursery):
    with pytest.raises(WorkbenchError, match="levels.no_such_rule"):
        lint(nursery[1], config=LintConfig(levels={"no_such_rule": "info"}))
    with pytest.raises(WorkbenchError, match="disable: no rule 'unindexed_foreign_keys'"):
        lint(nursery[1], config=LintConfig(disable=("unindexed_foreign_keys",)))


def test_config_is_read_from_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.workbench.lint]\ndisable = ["fk_missing_on_delete"]\n'
        'levels = { missing_tenant_column = "error" }\ntenant_columns = ["company_id"]\n')
    config = load_config(tmp_path)
    assert config.disable == ("fk_missing_on_delete",)
    assert config.levels == {"missing_tenant_column": "error"}
    assert config.tenant_columns == ("company_id",)
    assert "pyproject.toml" in config.source


def test_config_files_without_the_section_or_broken(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert load_config(tmp_path) == LintConfig()
    (tmp_path / "pyproject.toml").write_text("[tool.workbench.lint\n")
    with pytest.raises(WorkbenchError, match="not valid TOML"):
        load_config(tmp_path)
    with pytest.raises(WorkbenchError, match="no lint configuration file"):
        load_config(tmp_path / "missing.toml")


def test_the_project_config_parses():
    config = load_config(PROJECT / "pyproject.toml")
    assert "[tool.workbench.lint]" in config.source


def test_disable_level_and_ignore_take_effect(nursery):
    schema = nursery[1]
    base = lint(schema, config=LintConfig())
    assert base.where(rule="fk_missing_on_delete").findings
    disabled = lint(schema, config=LintConfig(disable=("fk_missing_on_delete",)))
    assert not disabled.where(rule="fk_missing_on_delete").findings
    assert "fk_missing_on_delete" not in disabled.rules
    louder = lint(schema, config=LintConfig(levels={"missing_tenant_column": "error"}))
    assert {f.level for f in louder.where(rule="missing_tenant_column")} == {"error"}
    key = next(iter(base.where(rule="duplicate_index"))).key
    ignored = lint(schema, config=LintConfig(ignore=(key,)))
    assert key not in {f.key for f in ignored} and ignored.ignored == 1
    assert len(ignored) == len(base) - 1


def test_custom_tenant_column_takes_effect(scratch_dsn):
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        conn.execute("""
            CREATE TABLE companies (id bigint PRIMARY KEY);
            CREATE TABLE invoices (id bigint PRIMARY KEY,
                company_id bigint NOT NULL REFERENCES companies ON DELETE CASCADE);
            CREATE TABLE payments (id bigint PRIMARY KEY,
                company_id bigint REFERENCES companies ON DELETE CASCADE);
            CREATE TABLE invoice_lines (id bigint PRIMARY KEY,
                invoice_id bigint NOT NULL REFERENCES invoices ON DELETE CASCADE);""")
    with workbench.connect(scratch_dsn) as session:
        schema = workbench.inspect(session)
    rules = ["missing_tenant_column", "tenant_column_nullable"]
    assert not lint(schema, config=LintConfig(), rules=rules).findings
    custom = lint(schema, config=LintConfig(tenant_columns=("company_id",)), rules=rules)
    assert {(f.rule, f.object) for f in custom} == {
        ("missing_tenant_column", "public.invoice_lines"),
        ("tenant_column_nullable", "public.payments.company_id")}
    exempt = LintConfig(tenant_columns=("company_id",), tenant_exempt=("public.invoice_*",))
    assert not lint(schema, config=exempt, rules=["missing_tenant_column"]).findings


# --- report -------------------------------------------------------------------------------

def test_report_shapes(nursery):
    report = lint(nursery[1], config=LintConfig())
    levels = [f.level for f in report]
    assert levels == sorted(levels, key=["error", "warn", "info"].index)
    frame = report.frame()
    assert list(frame.columns) == ["level", "rule", "categories", "object", "message", "fix", "key"]
    assert len(frame) == len(report)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["counts"] == report.counts() and len(data["findings"]) == len(report)
    html = report._repr_html_()
    assert "<h4" in html and "security" in html and "&lt;" not in report.text()
    assert report.text().splitlines()[-1] == "2 error, 5 warn, 15 info; skipped without a " \
        "connection: unused_index"


# --- docs ---------------------------------------------------------------------------------

def test_docs_page_is_up_to_date():
    page = docs_path().read_text(encoding="utf-8")
    assert page == render_docs(), "regenerate with: python -m workbench.lint.docs"


def test_every_rule_is_documented():
    page = docs_path().read_text(encoding="utf-8")
    for registered in REGISTRY:
        assert f"### `{registered.id}`" in page, registered.id
        assert registered.why and registered.fix and registered.summary


# --- command line -------------------------------------------------------------------------

def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="workbench")
    lint_command.register(parser.add_subparsers(dest="command"))
    return parser.parse_args(["lint", *argv])


def test_cli_text_and_exit_codes(capsys):
    dsn = workbench.demo_dsn("agent", progress=False)
    assert lint_command.run(parse("--dsn", dsn)) == 1  # a planted error
    out = capsys.readouterr().out
    assert "sensitive_column_plaintext  agent.connectors.webhook_secret" in out
    assert lint_command.run(parse("--dsn", dsn, "--schema", "agent", "--fail-on", "info")) == 1


def test_cli_json_and_config(tmp_path, capsys):
    dsn = workbench.demo_dsn("agent", progress=False)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.workbench.lint]\ndisable = ["sensitive_column_plaintext"]\n')
    assert lint_command.run(parse("--dsn", dsn, "--format", "json", "--config", str(tmp_path))) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["error"] == 0 and data["database"] == "agent"
    assert {f["rule"] for f in data["findings"]} >= {"rls_enabled_no_policy", "unindexed_foreign_key"}
