"""The design-review report on a real database: the checklist is ticked from facts (a new
table with or without RLS, policies, FK indexes, types), no password reaches the output,
hostile names are escaped, and ``workbench report`` writes the file."""
from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

import workbench
from workbench.cli import report as report_command
from workbench.drafts import Draft
from workbench.report import ReportConfig, review_report, simulate
from workbench.testing import scratch_database
from workbench.typegen import write_types

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "s3cr3t-Pa55word"
CONFIG = ReportConfig(tenant_columns=("org_id",))
SETUP = "CREATE SCHEMA app; CREATE TABLE app.orgs (id int PRIMARY KEY, name text);"
TABLE = "CREATE TABLE app.things (id int PRIMARY KEY, org_id int NOT NULL REFERENCES app.orgs (id), label text);"
OPEN = Draft("Add things", TABLE, "DROP TABLE app.things;").approve(by="tests")
SAFE = Draft("Add things safely", TABLE + """
CREATE INDEX things_org_id_idx ON app.things (org_id);
ALTER TABLE app.things ENABLE ROW LEVEL SECURITY;
CREATE POLICY things_member ON app.things FOR ALL USING (org_id = 1) WITH CHECK (org_id = 1);
""", "DROP TABLE app.things;").approve(by="tests")
HOSTILE = '<img src=x onerror=alert(1)>"&'
HOSTILE_DRAFT = Draft(
    "Add a hostile table",
    'CREATE TABLE app."' + HOSTILE.replace('"', '""') + '" ("a|b*" int PRIMARY KEY, '
    '"<script>" int REFERENCES app.orgs (id));',
    'DROP TABLE app."' + HOSTILE.replace('"', '""') + '";')


@pytest.fixture(scope="module")
def dsn(pg18):
    """A scratch database with an ``orgs`` table, its DSN carrying a password."""
    with scratch_database(pg18, prefix="wb_report") as plain:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(SETUP)
        yield make_conninfo(plain, password=PASSWORD)


@pytest.fixture(scope="module")
def session(dsn):
    with workbench.connect(dsn) as session:
        yield session


@pytest.fixture(scope="module")
def empty_history(tmp_path_factory) -> Path:
    """The project's Alembic environment with an empty history: verify is quick."""
    folder = tmp_path_factory.mktemp("history")
    target = folder / "migrations"
    (target / "versions").mkdir(parents=True)
    for name in ("env.py", "script.py.mako"):
        shutil.copy(ROOT / "migrations" / name, target / name)
    shutil.copy(ROOT / "alembic.ini", folder / "alembic.ini")
    return target


@pytest.fixture(scope="module")
def open_review(session, empty_history, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "open.html"
    data = review_report(session, [OPEN], path, config=CONFIG, verify=True, migrations_dir=empty_history)
    return data, path


def statuses(data) -> dict[str, str]:
    return {item.id: item.status for item in data.checklist}


def test_a_new_table_without_rls_is_unticked(open_review):
    data, _ = open_review
    found = statuses(data)
    assert found["rls_on_new_tables"] == "failed"
    assert found["policies_for_every_command"] == "failed"
    assert found["indexes_on_new_foreign_keys"] == "failed"
    assert found["down_restores"] == "passed" and found["verify_passed"] == "passed"
    item = next(i for i in data.checklist if i.id == "rls_on_new_tables")
    assert item.items == ("app.things",)


def test_a_new_table_with_rls_policies_and_indexes_is_ticked(session, tmp_path):
    after = simulate(session, [SAFE]).after
    types = write_types(after, tmp_path / "database.ts", ["app"])
    data = review_report(session, [SAFE], config=CONFIG, types_file=types)
    found = statuses(data)
    for item in ("rls_on_new_tables", "policies_for_every_command", "indexes_on_new_foreign_keys",
                 "types_regenerated", "down_restores"):
        assert found[item] == "passed", item
    assert found["verify_passed"] == "failed"  # not run: never ticked without the fact
    write_types(workbench.inspect(session), types, ["app"])  # the types before the change
    stale = review_report(session, [SAFE], config=CONFIG, types_file=types)
    assert statuses(stale)["types_regenerated"] == "failed"


def test_report_sections_and_no_password(open_review):
    data, path = open_review
    page = path.read_text()
    for anchor in ("checklist", "diagram", "drafts", "findings", "dry-run", "impact", "rls", "verify"):
        assert f'<section id="{anchor}">' in page
    assert "<svg" in page and "DROP TABLE app.things" in page
    markdown = data.markdown()
    for text in (page, markdown, data.summary_text(), repr(data)):
        assert PASSWORD not in text
    assert "password=***" in page


def test_hostile_names_are_escaped(session, tmp_path):
    data = review_report(session, [HOSTILE_DRAFT], tmp_path / "hostile.html", config=CONFIG)
    page = (tmp_path / "hostile.html").read_text()
    assert data.touched == (f"app.{HOSTILE}",)
    assert "<img" not in page and "<script>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    markdown = data.save(tmp_path / "hostile.md").read_text()
    prose = "".join(markdown.split("```")[::2])  # code blocks show names literally
    assert "<img" not in prose and "&lt;img" in prose


def run_report(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="workbench")
    report_command.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["report", *argv])
    return args.run(args)


def test_cli_writes_the_report_from_sql_files(dsn, tmp_path, capsys):
    (tmp_path / "add_things.up.sql").write_text(TABLE)
    (tmp_path / "add_things.down.sql").write_text("DROP TABLE app.things;")
    out = tmp_path / "review.md"
    assert run_report("--dsn", dsn, "--draft-file", str(tmp_path / "add_things.up.sql"),
                      "--no-verify", "-o", str(out)) == 0
    text = out.read_text()
    assert "# Schema change: add things" in text and "DROP TABLE app.things;" in text
    assert PASSWORD not in text and PASSWORD not in capsys.readouterr().out


def test_cli_reviews_the_newest_revision_by_default(tmp_path, capsys):
    out = tmp_path / "review.html"
    assert run_report("--no-verify", "-o", str(out)) == 0
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert "wrote" in capsys.readouterr().out


def test_an_applied_change_is_measured_backwards(pg18):
    with scratch_database(pg18, prefix="wb_report") as plain:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(SETUP)
            conn.execute(SAFE.up)
        with workbench.connect(plain) as session:
            data = review_report(session, [SAFE], config=CONFIG, applied=None)
    assert data.applied and data.restores
    assert ("added", "table", "app.things") in {(c.action, c.kind, c.name) for c in data.changes}
    assert statuses(data)["rls_on_new_tables"] == "passed"
