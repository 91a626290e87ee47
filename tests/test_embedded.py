"""The embedded server is shared: any process reuses the one already running."""
import subprocess
import sys

import psycopg

from workbench import embedded

PROBE = (
    "import psycopg; from workbench import embedded; "
    "c = psycopg.connect(embedded.server_dsn()); "
    "print(c.execute('select pg_postmaster_start_time()').fetchone()[0], "
    "c.execute('select setting from pg_settings where name = $$data_directory$$').fetchone()[0])"
)


def _probe() -> str:
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_two_processes_share_one_server(pg18):
    with psycopg.connect(pg18) as held_open:
        started = held_open.execute("select pg_postmaster_start_time()").fetchone()[0]
        first, second = _probe(), _probe()
    assert first == second
    assert first.startswith(str(started))
    assert first.endswith(str(embedded.data_dir()))


def test_server_lives_under_the_project():
    assert embedded.data_dir().parent.name == ".workbench"
    assert embedded.is_running()
