"""Export's guarantees, without a server: header, several Drafts, SQL files, idempotence,
no overwrite, atomic writes, a single head, hostile names, and reading revisions back."""
import ast
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from workbench import WorkbenchError
from workbench.drafts import Draft
from workbench.export import export, from_revision, module_constant
from workbench.export import writer
from workbench.migrations import ScriptHistory
from workbench.samples.sqlfiles import read_sql

ROOT = Path(__file__).resolve().parents[1]
TABLE = Draft("Create plants", "CREATE TABLE plants (id int PRIMARY KEY, name text);", "DROP TABLE plants;",
              rationale="We sell plants.", notes=("squawk prefer-bigint-over-int: ids stay small",)
              ).approve(by="alice")
INDEX = Draft("Index plant names", "CREATE INDEX CONCURRENTLY plants_name_idx ON plants (name);",
              "DROP INDEX CONCURRENTLY plants_name_idx;").approve(by="bob")
HOSTILE_TITLE = 'Quote """ back\\slash \x00 ünï «title» \'x\''


@pytest.fixture
def migrations_copy(tmp_path) -> Path:
    """The project's Alembic environment with an empty history."""
    target = tmp_path / "migrations"
    (target / "versions").mkdir(parents=True)
    for name in ("env.py", "script.py.mako"):
        shutil.copy(ROOT / "migrations" / name, target / name)
    return target


def files_in(folder: Path) -> set[str]:
    return {p.name for p in (folder / "versions").iterdir() if p.name != "__pycache__"}


def test_header_names_the_approvers_the_accepted_findings_and_the_hash(migrations_copy):
    path = export(TABLE, migrations_copy, accepted=["require-timeout: set by the deploy job"])
    doc = ast.get_docstring(ast.parse(path.read_text()))
    assert doc.startswith("Create plants\n\nWe sell plants.\n\nApproved by: alice\n")
    assert "- squawk prefer-bigint-over-int: ids stay small\n- require-timeout: set by the deploy job" in doc
    assert f"Content hash: {TABLE.fingerprint}" in doc
    assert module_constant(path.read_text(), "DRAFT_FINGERPRINT") == TABLE.fingerprint


def test_several_drafts_make_one_revision_undone_in_reverse_order(migrations_copy):
    path = export([TABLE, INDEX], migrations_copy, title="Plants, indexed")
    source = path.read_text()
    up, down = module_constant(source, "UP_SQL"), module_constant(source, "DOWN_SQL")
    assert up.index("CREATE TABLE plants") < up.index("CREATE INDEX CONCURRENTLY")
    assert down.index("DROP INDEX CONCURRENTLY") < down.index("DROP TABLE plants")
    assert path.name.endswith("_plants_indexed.py")
    assert "Approved by: alice, bob" in source and "1. Create plants: We sell plants." in source
    # only the CONCURRENTLY statement runs outside the migration's transaction
    upgrade = source[source.index("def upgrade()"):source.index("def downgrade()")]
    block = upgrade[upgrade.index("autocommit_block"):]
    assert "CREATE INDEX CONCURRENTLY" in block and "CREATE TABLE" not in block
    assert export([TABLE, INDEX], migrations_copy, title="Plants, indexed") == path
    later = datetime(2099, 1, 1, tzinfo=timezone.utc)
    assert export([INDEX, TABLE], migrations_copy, title="Plants, indexed", now=later) != path  # order counts


def test_sql_files_are_written_beside_and_alembic_ignores_them(migrations_copy):
    path = export([TABLE, INDEX], migrations_copy, title="Plants, indexed", sql_files=True)
    up, down = path.with_name(path.stem + ".up.sql"), path.with_name(path.stem + ".down.sql")
    assert up.read_text().strip() == module_constant(path.read_text(), "UP_SQL").strip()
    assert down.read_text().strip() == module_constant(path.read_text(), "DOWN_SQL").strip()
    assert [r.path for r in ScriptHistory(migrations_copy).revisions()] == [path]


def test_sql_files_are_added_to_an_exported_revision_without_rewriting_it(migrations_copy):
    path = export(TABLE, migrations_copy)
    before = path.read_text()
    assert export(TABLE, migrations_copy, sql_files=True) == path
    assert path.read_text() == before and path.with_name(path.stem + ".up.sql").exists()


def test_exporting_identical_content_returns_the_existing_revision(migrations_copy):
    first = export(TABLE, migrations_copy)
    again = export(TABLE.approve(by="someone else"), migrations_copy, accepted=["other notes"])
    assert again == first and files_in(migrations_copy) == {first.name}


def test_export_never_overwrites(migrations_copy):
    first = export(TABLE, migrations_copy)
    other = Draft("Create plants", "CREATE TABLE plants (id bigint PRIMARY KEY);", "DROP TABLE plants;")
    stamp = first.name.split("_")[0]
    same_second = datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
    with pytest.raises(WorkbenchError, match="already exists"):
        export(other.approve(), migrations_copy, now=same_second)
    assert module_constant(first.read_text(), "DRAFT_FINGERPRINT") == TABLE.fingerprint


@pytest.mark.parametrize("failing_call", [1, 3])
def test_a_crash_between_temp_write_and_link_leaves_no_file(migrations_copy, monkeypatch, failing_call):
    """Link number 1 is the first .sql file, 3 the revision itself (written last)."""
    calls = []
    real_link = os.link

    def crash(src, dst, **kwargs):
        calls.append(dst)
        if len(calls) == failing_call:
            raise OSError("simulated crash: disk full")
        return real_link(src, dst, **kwargs)

    monkeypatch.setattr(os, "link", crash)
    with pytest.raises(OSError, match="simulated crash"):
        export(TABLE, migrations_copy, sql_files=True)
    assert files_in(migrations_copy) == set()  # no revision, no .sql, no temporary file
    monkeypatch.setattr(os, "link", real_link)
    assert export(TABLE, migrations_copy).exists()


def test_a_second_head_is_refused_with_how_to_rebase(migrations_copy):
    export(TABLE, migrations_copy)
    theirs = export(INDEX, migrations_copy)
    # a teammate's revision, merged from another branch, chained to the same parent as ours
    text = theirs.read_text()
    parent = module_constant(text, "down_revision")
    fork = migrations_copy / "versions" / "29990101000000_teammates_change.py"
    fork.write_text(text.replace(module_constant(text, "DRAFT_FINGERPRINT"), "f" * 64)
                    .replace(f"revision = {module_constant(text, 'revision')!r}", "revision = 'teammate0001'"))
    assert module_constant(fork.read_text(), "down_revision") == parent
    with pytest.raises(WorkbenchError) as info:
        export(Draft("Another change", "SELECT 1", "SELECT 1").approve(), migrations_copy)
    message = str(info.value)
    assert "2 heads" in message and "teammate0001" in message
    assert f"in {fork.name} set down_revision = {module_constant(text, 'revision')!r}" in message
    assert "alembic merge heads" in message


def test_a_revision_arriving_during_export_is_not_left_as_a_second_head(migrations_copy, monkeypatch):
    first = export(TABLE, migrations_copy)
    second = export(INDEX, migrations_copy)
    stale = module_constant(first.read_text(), "revision")
    monkeypatch.setattr(writer, "current_head", lambda history: stale)  # read before INDEX arrived
    with pytest.raises(WorkbenchError, match="heads"):
        export(Draft("Late change", "SELECT 1", "SELECT 2").approve(), migrations_copy, sql_files=True)
    assert files_in(migrations_copy) == {first.name, second.name}


def test_hostile_titles_and_identifiers_round_trip(migrations_copy):
    up = 'CREATE TABLE "we""ird ü ""select""" ("""x""" int, "back\\slash" text DEFAULT E\'a\\\\b\');'
    draft = Draft(HOSTILE_TITLE, up, 'DROP TABLE "we""ird ü ""select""";',
                  rationale='He said """hi""" \\ then left.\n\nSecond paragraph."').approve(by='o"brien')
    path = export(draft, migrations_copy, sql_files=True)
    assert path.name.endswith(".py") and path.name.isascii()
    source = path.read_text()
    compile(source, str(path), "exec")
    assert module_constant(source, "UP_SQL").strip() == up
    back = from_revision(path)
    assert back.up == up and back.rationale == draft.rationale
    assert back.title == "Quote \"\"\" back\\slash ünï «title» 'x'"
    assert ScriptHistory(migrations_copy).revisions()[0].title.startswith('Quote """')


def test_a_revision_read_back_is_the_same_draft(migrations_copy):
    path = export(TABLE, migrations_copy)
    back = Draft.from_revision(path)
    assert (back.title, back.up, back.down, back.rationale) == (TABLE.title, TABLE.up, TABLE.down, TABLE.rationale)
    assert back.notes == TABLE.notes and not back.approved
    assert back.fingerprint == TABLE.fingerprint
    assert export(back.approve(by="carol"), migrations_copy) == path


def test_the_project_baseline_reads_back_as_a_draft():
    baseline = next(r.path for r in ScriptHistory(ROOT / "migrations").revisions()
                    if r.title.startswith("Baseline"))
    draft = Draft.from_revision(baseline)
    assert draft.title == "Baseline: the nursery schema"
    assert draft.rationale.startswith("The nursery demo's schema")
    assert draft.up == read_sql("nursery_schema.sql").strip()
    assert draft.down == read_sql("nursery_drop.sql").strip()


def test_irreversible_drafts_export_a_downgrade_that_refuses(migrations_copy):
    drop = Draft("Drop legacy", "DROP TABLE legacy;", irreversible="its data is gone").approve()
    path = export(drop, migrations_copy)
    assert "raise NotImplementedError('its data is gone')" in path.read_text()
    back = from_revision(path)
    assert back.down == "" and back.irreversible == "its data is gone"


def test_unapproved_drafts_are_refused_even_among_approved_ones(migrations_copy):
    with pytest.raises(WorkbenchError, match="not approved"):
        export([TABLE, Draft("unreviewed", "SELECT 1", "SELECT 1")], migrations_copy)
    with pytest.raises(WorkbenchError, match="only Drafts"):
        export(["CREATE TABLE x ()"], migrations_copy)
    assert files_in(migrations_copy) == set()
