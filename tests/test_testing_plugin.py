"""``workbench.pytest_plugin`` in a tiny project of its own (run by pytester), and the nbval
sanitize file ``workbench.testing`` writes."""
import re
import shutil
from pathlib import Path

import pytest

from workbench.drafts import Draft
from workbench.export import export, module_constant
from workbench.testing import NBVAL_SANITIZE, write_nbval_sanitize

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
PLANTS = Draft("Create plants", "CREATE TABLE plants (id int PRIMARY KEY, name text);",
               "DROP TABLE plants;").approve(by="team")
TEAM_TESTS = '''
import psycopg


def test_an_empty_database(workbench_database):
    with psycopg.connect(workbench_database) as conn:
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone() == (0,)


def test_a_database_at_head(workbench_migrated_database):
    with psycopg.connect(workbench_migrated_database) as conn:
        conn.execute("INSERT INTO plants VALUES (1, 'fern')")


def test_the_server(workbench_server):
    import psycopg
    with psycopg.connect(workbench_server) as conn:
        print("SERVER_VERSION", conn.info.server_version, conn.info.host)
'''


@pytest.fixture
def project(pytester) -> Path:
    """A team's repository: the plugin enabled in one line, one ini option, one revision."""
    pytester.makeconftest('pytest_plugins = ["workbench.pytest_plugin"]')
    pytester.makeini("[pytest]\nworkbench_migrations = migrations\n")
    migrations = pytester.path / "migrations"
    (migrations / "versions").mkdir(parents=True)
    for name in ("env.py", "script.py.mako"):
        shutil.copy(ROOT / "migrations" / name, migrations / name)
    export(PLANTS, migrations)
    tests = pytester.path / "tests"
    tests.mkdir()
    (tests / "conftest.py").write_text("")
    (tests / "test_db.py").write_text(TEAM_TESTS)
    return pytester.path


def test_fixtures_and_the_ready_made_verify_test(pytester, project):
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*tests/conftest.py::workbench_verify_migrations PASSED*"])


def test_a_broken_history_fails_the_verify_test_naming_the_revision(pytester, project):
    broken = export(Draft("Broken", "CREATE TABLE b (id int);", "DROP TABLE nope;").approve(),
                    project / "migrations")
    result = pytester.runpytest("tests/conftest.py")
    result.assert_outcomes(failed=1)
    revision = module_constant(broken.read_text(), "revision")
    result.stdout.fnmatch_lines(["*migration history failed verification*", f"FAIL {revision}*",
                                 "*FAIL downgrade*nope*"])


def test_the_verify_test_runs_only_with_its_folder_and_when_enabled(pytester, project):
    pytester.runpytest("tests/test_db.py").assert_outcomes(passed=3)
    pytester.makeini("[pytest]\n")
    pytester.runpytest().assert_outcomes(passed=3)


def test_a_temporary_server_is_private_and_removed(pytester, project):
    result = pytester.runpytest("tests/test_db.py", "-s", "--workbench-server", "temporary")
    result.assert_outcomes(passed=3)
    version, host = server_line(result)
    assert "workbench-embedded-" in host and not Path(host).exists()


def test_any_server_by_dsn(pytester, project, pg15, monkeypatch):
    monkeypatch.setenv("WORKBENCH_TEST_SERVER", pg15)
    result = pytester.runpytest("-s")
    result.assert_outcomes(passed=4)
    version, _ = server_line(result)
    assert version.startswith("15")


def server_line(result) -> tuple[str, str]:
    """The version and host the team's test printed."""
    found = re.search(r"SERVER_VERSION (\S+) (\S+)", result.stdout.str())
    return found.group(1), found.group(2)


def test_nbval_sanitize_file_round_trips(tmp_path):
    from nbval.plugin import get_sanitize_patterns

    path = write_nbval_sanitize(tmp_path / "sanitize.cfg")
    patterns = get_sanitize_patterns(path.read_text())
    assert patterns == list(NBVAL_SANITIZE.values())
    text = "host=/tmp/x took 12.5 ms for 0b5e3f0c-1a2b-4c3d-8e9f-0123456789ab"
    for regex, replacement in patterns:
        text = re.sub(regex, replacement, text)
    assert text == "host=HOST took DURATION for UUID"


def test_a_missing_anchor_file_is_a_warning(pytester, project):
    (project / "tests" / "conftest.py").unlink()
    result = pytester.runpytest("-W", "always")
    result.assert_outcomes(passed=3, warnings=1)
    result.stdout.fnmatch_lines(["*workbench_verify_with*does not exist*"])
