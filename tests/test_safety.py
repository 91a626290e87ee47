"""Safety checks on Drafts (no server): squawk's findings with 1-based positions, the
workbench's own RLS and tenancy checks positive and negative, and the safer Drafts offered."""
from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

from workbench.drafts import Draft
from workbench.drafts import builders as b
from workbench.drafts.safety import check
from workbench.drafts.squawk import pg_version_of, run_squawk, squawk_path
from workbench.lint.config import LintConfig

CONFIG = LintConfig(tenant_columns=("org_id", "user_id"))
DANGEROUS = Draft("x column", "ALTER TABLE orders ADD COLUMN x int NOT NULL;",
                  "ALTER TABLE orders DROP COLUMN x;")
needs_squawk = pytest.mark.skipif(squawk_path() is None, reason="squawk-cli is not installed")


def rules(report, source=None) -> list[str]:
    return [f.rule for f in report.findings if source is None or f.source == source]


@needs_squawk
def test_squawk_findings_have_1_based_positions():
    report = check(DANGEROUS, config=CONFIG)
    found = report.where(rule="adding-required-field")
    assert len(found) == 1
    assert (found[0].source, found[0].level, found[0].statement) == ("squawk", "warn", 1)
    assert (found[0].line, found[0].column) == (1, 20)       # where ADD COLUMN starts
    assert report.squawk.available and report.squawk_note == "squawk ran"


@needs_squawk
def test_squawk_positions_count_characters_and_statements():
    up = 'SELECT 1;\n\nALTER TABLE "üü" ADD COLUMN "éé" int NOT NULL;'
    report = check(Draft("u", up, 'ALTER TABLE "üü" DROP COLUMN "éé";'), config=CONFIG)
    (found,) = report.where(rule="adding-required-field")
    assert (found.statement, found.line, found.column) == (2, 3, 18)
    assert up.splitlines()[2][found.column - 1:].startswith("ADD COLUMN")


def test_pg_version_for_squawk():
    assert pg_version_of(180006) == "18.6" and pg_version_of(150014) == "15.14"
    assert pg_version_of(None) is None


def test_missing_squawk_is_reported_not_raised(monkeypatch):
    monkeypatch.setattr("workbench.drafts.squawk.squawk_path", lambda: None)
    report = check(DANGEROUS, config=CONFIG)
    assert not report.squawk.available
    assert "squawk is not installed" in report.squawk_note and "squawk is not installed" in report.text()
    assert rules(report) == ["add_column_not_null_without_default"]


def test_a_broken_squawk_is_reported(tmp_path):
    program = tmp_path / "squawk"
    program.write_text("#!/bin/sh\necho boom >&2\nexit 3\n")
    program.chmod(0o755)
    run = run_squawk("SELECT 1;", program=program)
    assert not run.available and "exit 3" in run.problem and "boom" in run.problem


def test_required_column_is_flagged_with_the_safe_alternative():
    report = check(DANGEROUS, config=CONFIG, squawk=False)
    (found,) = report.where(rule="add_column_not_null_without_default")
    assert (found.level, found.statement, found.line, found.column) == ("error", 1, 1, 31)
    safer = found.remediation
    assert safer.up.splitlines() == [
        "ALTER TABLE public.orders ADD COLUMN x integer;",
        "ALTER TABLE public.orders ADD CONSTRAINT orders_x_not_null_check CHECK (x IS NOT NULL) NOT VALID;",
        "ALTER TABLE public.orders VALIDATE CONSTRAINT orders_x_not_null_check;",
        "ALTER TABLE public.orders ALTER COLUMN x SET NOT NULL;",
        "ALTER TABLE public.orders DROP CONSTRAINT orders_x_not_null_check;"]
    assert report.remediations == (safer,)
    assert check(safer, config=CONFIG, squawk=False).findings == ()


@pytest.mark.parametrize("up", [
    "ALTER TABLE t ADD COLUMN x int NOT NULL DEFAULT 0;",
    "ALTER TABLE t ADD COLUMN x int;",
    "ALTER TABLE t ADD COLUMN x bigint GENERATED ALWAYS AS IDENTITY NOT NULL;",
])
def test_safe_column_additions_pass(up):
    assert check(Draft("ok", up, "ALTER TABLE t DROP COLUMN x;"), config=CONFIG, squawk=False).findings == ()


def test_set_not_null_without_a_validated_check():
    bare = Draft("nn", "ALTER TABLE s.t ALTER COLUMN c SET NOT NULL;",
                 "ALTER TABLE s.t ALTER COLUMN c DROP NOT NULL;")
    (found,) = check(bare, config=CONFIG, squawk=False).findings
    assert found.rule == "set_not_null_without_check" and found.remediation is not None
    assert "VALIDATE CONSTRAINT t_c_not_null" in found.remediation.up
    safe = b.add_column("s", "t", "c", "int", not_null=True)
    assert check(safe, config=CONFIG, squawk=False).findings == ()


def test_rls_enabled_without_policies():
    up = "CREATE TABLE app.t (org_id int);\nALTER TABLE app.t ENABLE ROW LEVEL SECURITY;"
    report = check(Draft("t", up, "DROP TABLE app.t;"), config=CONFIG, squawk=False)
    assert rules(report) == ["rls_enabled_no_policy"]
    (found,) = report.findings
    assert (found.statement, found.line, found.column) == (2, 2, 1)
    with_policy = up + "\nCREATE POLICY p ON app.t FOR SELECT TO authenticated USING (true);"
    assert check(Draft("t", with_policy, "DROP TABLE app.t;"), config=CONFIG, squawk=False).findings == ()


def test_policies_without_with_check():
    up = ("CREATE POLICY a ON t FOR INSERT TO x;\n"
          "CREATE POLICY b ON t FOR UPDATE TO x USING (true);\n"
          "CREATE POLICY c ON t FOR ALL TO x USING (true);\n"
          "CREATE POLICY d ON t FOR SELECT TO x USING (true);\n"
          "CREATE POLICY e ON t FOR UPDATE TO x USING (true) WITH CHECK (true);")
    report = check(Draft("p", up, "SELECT 1;"), config=CONFIG, squawk=False)
    assert [(f.rule, f.line) for f in report.findings] == [
        ("policy_missing_with_check", 1), ("policy_missing_with_check", 2),
        ("policy_missing_with_check", 3)]
    assert "every insert is refused" in report.findings[0].message


def test_tables_without_rls_or_tenant_column():
    up = "CREATE TABLE app.t (id int);"
    report = check(Draft("t", up, "DROP TABLE app.t;"), config=CONFIG, squawk=False)
    assert sorted(rules(report)) == ["table_without_rls", "table_without_tenant_column"]
    exempt = replace(CONFIG, tenant_exempt=("app.t",))
    assert check(Draft("t", up, "DROP TABLE app.t;"), config=exempt, squawk=False).findings == ()
    temp = Draft("t", "CREATE TEMP TABLE t (id int);", "DROP TABLE t;")
    assert check(temp, config=CONFIG, squawk=False).findings == ()


def test_a_conventional_table_passes_the_own_checks():
    conv = b.Conventions("app", memberships=("app", "members"))
    draft = b.create_table("app", "notes", [("body", "text")], conventions=conv)
    assert check(draft, config=CONFIG, squawk=False).findings == ()


def test_report_shapes():
    report = check(DANGEROUS, config=CONFIG, squawk=False)
    frame = report.frame()
    assert list(frame.columns) == ["statement", "line", "column", "source", "level", "rule",
                                   "message", "safer"]
    assert frame.safer.tolist() == ["Add column x to public.orders"]
    assert report.counts() == {"error": 1, "warn": 0, "info": 0}
    assert "<table" in report._repr_html_() and "squawk was not asked" in report._repr_html_()


def test_squawk_is_next_to_python():
    assert squawk_path() == Path(sys.executable).parent / "squawk"  # the squawk-cli wheel
