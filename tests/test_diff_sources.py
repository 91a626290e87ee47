"""Where desired schemas come from (SQL, a sandbox, SQLAlchemy models, the migration head),
the Draft a diff makes, and the ``workbench diff`` command, on the embedded PostgreSQL."""
from __future__ import annotations

import json

import psycopg
import pytest
import sqlalchemy as sa

import workbench
from workbench.cli import main
from workbench.diff import DiffError
from workbench.diff.desired import from_head, from_metadata, from_sql
from workbench.errors import WorkbenchError

BEFORE = "CREATE TABLE t (id int PRIMARY KEY, n text);\n"
AFTER = "CREATE TABLE t (id bigint PRIMARY KEY, n text NOT NULL, m int);\nCREATE INDEX t_m ON t (m);\n"


@pytest.fixture
def sql_files(tmp_path):
    (tmp_path / "before.sql").write_text(BEFORE)
    (tmp_path / "after.sql").write_text(AFTER)
    return tmp_path / "before.sql", tmp_path / "after.sql"


def test_a_draft_from_a_diff_carries_its_proof():
    draft = workbench.Draft.from_diff(from_sql(BEFORE), from_sql(AFTER), title="Widen t")
    assert "ALTER TABLE public.t ALTER COLUMN id TYPE bigint;" in draft.up
    assert "ALTER TABLE public.t DROP COLUMN m;" in draft.down
    assert draft.proof.ok, draft.proof.summary_text()
    assert "proof: up reaches the desired schema" in draft._repr_markdown_()


def test_a_diff_with_nothing_to_do_is_no_draft():
    same = from_sql(BEFORE)
    with pytest.raises(DiffError, match="nothing differs"):
        workbench.Draft.from_diff(same, same, title="Nothing")


def test_bad_desired_sql_is_a_clear_error():
    with pytest.raises(WorkbenchError, match="failed at statement 2") as caught:
        from_sql("CREATE TABLE ok (id int);\nCREATE TABLE broken (id nosuchtype);")
    assert "nosuchtype" in caught.value.where


def test_a_sandbox_turns_what_changed_into_a_proven_draft():
    with workbench.connect() as session:
        with workbench.sandbox(session, schemas=["nursery"]) as box:
            name = box.name
            box.execute("ALTER TABLE nursery.customers ADD COLUMN nickname text;")
            draft = box.draft("Customers get a nickname")
        assert draft.up.count(";") == 4  # the header's three SETs and the one change
        assert "ADD COLUMN nickname text" in draft.up
        assert "DROP COLUMN nickname" in draft.down
        assert draft.proof.ok, draft.proof.summary_text()
        gone = session.conn.execute("SELECT count(*) FROM pg_database WHERE datname = %s", (name,))
        assert gone.fetchone()[0] == 0, "the sandbox is dropped when the block ends"


def test_a_failing_statement_leaves_the_sandbox_as_it_was():
    with workbench.connect() as session, workbench.sandbox(session, schemas=["nursery"]) as box:
        with pytest.raises(WorkbenchError, match="failed at statement 2"):
            box.execute("ALTER TABLE nursery.customers ADD COLUMN a text;\nALTER TABLE nope ADD b int;")
        assert not box.diff(), "the first statement was rolled back with the second"


def test_a_sandbox_with_rows_needs_the_original_to_itself():
    with workbench.connect() as session:
        with pytest.raises(WorkbenchError, match="other sessions are connected"):
            with workbench.sandbox(session, data=True):
                pass


def test_sqlalchemy_models_with_what_they_cannot_say_in_sql():
    metadata = sa.MetaData()
    sa.Table("pets", metadata, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("owner_id", sa.Integer, nullable=False), schema="zoo")
    extra = ("ALTER TABLE zoo.pets ENABLE ROW LEVEL SECURITY;\n"
             "CREATE POLICY own ON zoo.pets USING (owner_id = 1);")
    schema = from_metadata(metadata, extra_sql=extra)
    pets = schema.table("zoo.pets")
    assert [c.name for c in pets.columns] == ["id", "owner_id"]
    assert pets.rls_enabled and [p.name for p in pets.policies] == ["own"]


def test_the_migration_head_is_the_schema_the_history_builds():
    from dataclasses import replace

    head = from_head()
    assert head.table("nursery.orders").rls_enabled
    assert head.table("public.alembic_version")
    tables = tuple(t for t in head.objects.tables if t.name != "alembic_version")
    without = replace(head, objects=replace(head.objects, tables=tables))
    assert not workbench.diff_sql(head, without), "alembic_version is never part of a design"


# --- the command -------------------------------------------------------------------------------

def test_diff_help(capsys):
    with pytest.raises(SystemExit) as done:
        main(["diff", "--help"])
    assert done.value.code == 0
    assert "--allow-destructive" in capsys.readouterr().out


def test_diff_prints_up_down_and_the_proof(sql_files, capsys):
    before, after = sql_files
    assert main(["diff", "--from", str(before), "--to", str(after)]) == 0
    out = capsys.readouterr().out
    assert "CREATE INDEX CONCURRENTLY t_m ON public.t (m);" in out
    assert "DROP INDEX CONCURRENTLY public.t_m;" in out
    assert "proof: up reaches the desired schema and down restores the current one" in out


def test_diff_as_json(sql_files, capsys):
    before, after = sql_files
    assert main(["diff", "--from", str(before), "--to", str(after), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["proof"]["ok"] is True
    assert "ALTER TABLE public.t ADD COLUMN m integer;" in data["up"]
    assert data["destructive"] == []


def test_diff_as_a_psql_script_runs_in_psql(sql_files, capsys, tmp_path):
    import subprocess

    from workbench import embedded
    from workbench.testing import scratch_database

    before, after = sql_files
    assert main(["diff", "--from", str(before), "--to", str(after), "--format", "sql"]) == 0
    script = tmp_path / "up.sql"
    script.write_text(capsys.readouterr().out)
    with scratch_database(embedded.server_dsn("postgres")) as dsn:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(BEFORE)
        run = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-f", str(script)],
                             capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        with psycopg.connect(dsn) as conn:
            assert workbench.diff_sql(workbench.inspect(conn), from_sql(AFTER)).up == ()


def test_destructive_changes_need_permission(sql_files, capsys):
    before, after = sql_files
    assert main(["diff", "--from", str(after), "--to", str(before), "--no-verify"]) == 2
    err = capsys.readouterr().err
    assert "may lose data: drops column public.t.m and its data" in err
    assert main(["diff", "--from", str(after), "--to", str(before), "--allow-destructive",
                 "--no-verify", "--format", "sql"]) == 0


def test_an_unreadable_rename_is_a_usage_error(sql_files, capsys):
    before, after = sql_files
    assert main(["diff", "--from", str(before), "--to", str(after), "--rename", "nonsense"]) == 2
    assert "cannot read --rename 'nonsense'" in capsys.readouterr().err


def test_a_missing_source_file_is_a_clear_error(tmp_path, capsys):
    assert main(["diff", "--from", str(tmp_path / "nope.sql"), "--to", str(tmp_path / "x.sql")]) == 2
    assert "no such SQL file" in capsys.readouterr().err


# --- migrations generate -----------------------------------------------------------------------

@pytest.fixture
def history_copy(tmp_path):
    import shutil
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    shutil.copytree(root / "migrations", tmp_path / "migrations",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(root / "alembic.ini", tmp_path / "alembic.ini")
    return tmp_path / "migrations"


def test_generate_writes_a_proven_revision_of_what_changed(history_copy, capsys):
    from workbench import embedded
    from workbench.migrations import ScriptHistory
    from workbench.testing import migrated_database

    before = len(ScriptHistory(history_copy).revisions())
    with migrated_database(embedded.server_dsn("postgres"), history_copy) as dsn:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("ALTER TABLE nursery.customers ADD COLUMN nickname text")
            conn.execute("CREATE INDEX customers_nickname ON nursery.customers (nickname)")
        args = ["migrations", "generate", "-m", "Customers get a nickname", "--to", dsn,
                "--dir", str(history_copy), "--by", "reviewer"]
        assert main(args) == 0
        written = capsys.readouterr().out
        assert "wrote " in written and "proof: up reaches the desired schema" in written
        assert main(args) == 0, "generating again finds nothing to do"
        assert "nothing to generate" in capsys.readouterr().out
    revisions = ScriptHistory(history_copy).revisions()
    assert len(revisions) == before + 1
    text = revisions[-1].path.read_text()
    assert "ADD COLUMN nickname text" in text and "CREATE INDEX CONCURRENTLY customers_nickname" in text
    assert main(["migrations", "verify", "--dir", str(history_copy), "--quiet",
                 "--skip", "data", "--skip", "rls", "--skip", "advisors"]) == 0


def test_generate_refuses_data_loss_without_permission(history_copy, capsys):
    from workbench import embedded
    from workbench.testing import migrated_database

    with migrated_database(embedded.server_dsn("postgres"), history_copy) as dsn:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("ALTER TABLE nursery.customers DROP COLUMN phone")
        assert main(["migrations", "generate", "-m", "Drop notes", "--to", dsn,
                     "--dir", str(history_copy)]) == 2
    assert "drops column nursery.customers.phone and its data" in capsys.readouterr().err


def test_desired_sql_with_its_own_transaction_lines_and_early_functions():
    schema = from_sql("BEGIN;\nCREATE FUNCTION public.n() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM public.t';\n"
                      "CREATE TABLE public.t (id int);\nCOMMIT;")
    assert schema.table("public.t") and schema.function("public.n")


def test_migrations_run_whatever_the_sessions_search_path():
    from workbench import embedded
    from workbench.diff.scratch import fresh_database

    before = "CREATE TYPE public.kind AS ENUM ('a'); CREATE TABLE public.games (id int PRIMARY KEY);"
    after = before + (" CREATE TABLE public.events (id int PRIMARY KEY,"
                      " game_id int REFERENCES public.games (id), k public.kind);")
    migration = workbench.diff_sql(from_sql(before), from_sql(after))
    with fresh_database(embedded.server_dsn("postgres")) as dsn, psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(before)
        conn.execute("SET search_path = ''")  # as pg_dump-style migrations leave it
        with conn.transaction():
            conn.execute(migration.up_sql)
        assert conn.execute("SELECT to_regclass('public.events')").fetchone()[0] == "public.events"
