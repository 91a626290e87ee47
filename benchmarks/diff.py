"""Does ``workbench.diff`` converge where migra does, and how fast is it on 1,000 tables?

    python benchmarks/diff.py [--pairs tests/fixtures/diff] [--tables 1000] [--repeats 3]
                              [--dsn ADMIN_DSN] [--migra-python PYTHON | --no-migra]

The peer is migra (PyPI ``migra``, the ``bench`` extra of pyproject.toml). It is not
installed in the project's environment: on first use this script creates ``.venv-bench/``
next to ``.venv/`` and pip-installs the ``bench`` extra's packages there (again whenever
that list changes), then runs migra in a worker process of that environment.
``--migra-python`` names another interpreter that has them; ``--no-migra`` skips migra.

1. **Convergence**, for each before/after pair of the corpus (``workbench.diff.pairs``):
   *before* and *after* are each applied to a fresh database (A and B) and inspected; each
   tool diffs A → B (workbench: ``diff_sql`` on the two snapshots with the pair's renames;
   migra: ``Migration(A, B)`` with privileges, unsafe statements allowed). Each tool's up
   SQL runs on a fresh database holding *before*, the way the tool means it to run: migra's
   script in one transaction (``psql -1 -f``), workbench's statements as its runner runs
   them (each run of transactional statements in one transaction, ``CONCURRENTLY`` and
   ``ALTER TYPE … ADD VALUE`` on their own). The result is inspected and compared with the
   snapshot of B by ``workbench.diff.proof.compare`` (owners and column order aside), the
   same judge for both. Workbench's down statements then run and must give back A's
   snapshot; migra writes no down migration (``n/a``). A pair with ``-- requires: N``
   is skipped on an older server.
   Times, best of ``--repeats`` per pair after one warm-up run, averaged over the pairs:
   workbench's diff alone (snapshots taken), workbench's inspect of both databases plus the
   diff, and migra's run, which always inspects both databases itself (it has no diff of
   snapshots), so only the second workbench figure is like for like.
2. **Speed**: a schema of ``--tables`` tables (8 columns, a primary key, two foreign keys,
   two indexes; a policy on every third table, a view on every seventh) and an *after* with
   5% of the tables changed (columns added, columns retyped under views, indexes added,
   policies changed or added), built in two scratch databases and inspected once each.
   ``diff_sql`` is timed, best of 5; target at most 1 s. Migra runs on the same two
   databases (inspection included), and each tool's up SQL is checked on a copy of *before*.
"""
from __future__ import annotations

import os
import sys

# Run as a script, this file's folder comes first on sys.path, where benchmarks/inspect.py
# would hide the standard library's ``inspect``: take the folder off.
if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
    sys.path.pop(0)

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import tomllib  # noqa: E402
import uuid  # noqa: E402
from contextlib import ExitStack, contextmanager  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Callable  # noqa: E402

import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402
from psycopg.conninfo import conninfo_to_dict  # noqa: E402

from workbench.catalog import inspect  # noqa: E402
from workbench.diff import diff_sql  # noqa: E402
from workbench.diff.pairs import read_pairs  # noqa: E402
from workbench.diff.model import runs, script  # noqa: E402
from workbench.diff.proof import compare  # noqa: E402
from workbench.diff.scratch import fresh_database  # noqa: E402
from workbench.drafts.dryrun import DryRunError, apply  # noqa: E402
from workbench.drafts.sqltext import SqlSyntaxError  # noqa: E402
from workbench.dsn import with_database  # noqa: E402
from workbench.testing import scratch_database  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / "tests" / "fixtures" / "diff"
BENCH_VENV = ROOT / ".venv-bench"
SPEED_TARGET = 1.0
SPEED_REPEATS = 5
BATCH = 100

# ---------------------------------------------------------------------------------------
# migra, in a worker process of its own environment


# The worker reads one JSON job a line ({"from": url, "to": url, "repeats": n}) and answers
# one JSON line ({"sql", "seconds", "first"} or {"error"}) on the stdout it had at start; anything
# migra or its libraries print goes to stderr. The first job is run once untimed (warm-up).
MIGRA_WORKER = r'''
import json, os, sys, time
from importlib.metadata import version
answer = os.fdopen(os.dup(1), "w")
os.dup2(2, 1)
from migra import Migration
from sqlbag import S
from sqlalchemy.pool import NullPool

def diff(a, b):
    # NullPool: no connection stays open after a run (sqlbag keeps an engine per URL)
    with S(a, poolclass=NullPool) as s0, S(b, poolclass=NullPool) as s1:
        m = Migration(s0, s1)
        m.set_safety(False)
        m.add_all_changes(privileges=True)
        return m.sql

def installed(name):
    try:
        return version(name)
    except Exception:
        return "?"

answer.write(json.dumps({"versions": {n: installed(n) for n in
                         ("migra", "schemainspect", "sqlbag", "SQLAlchemy", "psycopg2-binary")}}) + "\n")
answer.flush()
warm = False
for line in sys.stdin:
    job = json.loads(line)
    try:
        if not warm:
            diff(job["from"], job["to"])
            warm = True
        times = []
        for _ in range(job.get("repeats", 1)):
            started = time.perf_counter()
            text = diff(job["from"], job["to"])
            times.append(time.perf_counter() - started)
        out = {"sql": text, "seconds": min(times), "first": times[0]}
    except Exception as exc:
        lines = str(exc).strip().splitlines()
        out = {"error": type(exc).__name__ + (": " + lines[0] if lines else "")}
    answer.write(json.dumps(out) + "\n")
    answer.flush()
'''


def bench_requirements() -> list[str]:
    """The ``bench`` extra of pyproject.toml: what the migra environment gets."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["optional-dependencies"]["bench"]


def bench_python() -> str:
    """The interpreter of ``.venv-bench/``, created and filled with the ``bench`` extra's
    packages when missing or when that list changed; raises RuntimeError when it cannot."""
    requirements = bench_requirements()
    digest = hashlib.sha256("\n".join(requirements).encode()).hexdigest()[:12]
    python = BENCH_VENV / "bin" / "python"
    stamp = BENCH_VENV / f".installed-{digest}"
    if python.exists() and stamp.exists():
        return str(python)
    print(f"installing migra into {BENCH_VENV.name}/ (the 'bench' extra: {' '.join(requirements)})",
          flush=True)
    steps = [[sys.executable, "-m", "venv", "--clear", str(BENCH_VENV)],
             [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
              *requirements]]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode:
            said = (done.stderr or done.stdout).strip().splitlines()
            raise RuntimeError(f"{' '.join(step[:4])} failed: {said[-1] if said else done.returncode}")
    stamp.touch()
    return str(python)


def sqlalchemy_url(dsn: str) -> str:
    """The SQLAlchemy URL (``postgresql+psycopg2``, as migra's sqlbag uses it) of a libpq DSN."""
    from sqlalchemy.engine import URL

    params = conninfo_to_dict(dsn)
    url = URL.create("postgresql+psycopg2", username=params.pop("user", None),
                     password=params.pop("password", None), host=None,
                     database=params.pop("dbname", None),
                     query={key: str(value) for key, value in params.items()})
    return url.render_as_string(hide_password=False)


class Migra:
    """A migra worker process: ``diff(before_dsn, after_dsn, repeats)`` → (sql, times, error)."""

    def __init__(self, python: str):
        self.stderr = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen([python, "-I", "-c", MIGRA_WORKER], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        self.versions = self.read()["versions"]

    def read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            self.stderr.seek(0)
            said = self.stderr.read().strip().splitlines()
            raise RuntimeError(f"the migra worker stopped: {said[-1] if said else 'no message'}")
        return json.loads(line)

    def diff(self, before_dsn: str, after_dsn: str, repeats: int) -> tuple[str | None, tuple, str]:
        """migra's SQL from ``before_dsn`` to ``after_dsn``, its (best, first) times, or an error."""
        job = {"from": sqlalchemy_url(before_dsn), "to": sqlalchemy_url(after_dsn), "repeats": repeats}
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        out = self.read()
        return out.get("sql"), (out.get("seconds"), out.get("first")), out.get("error", "")

    def describe(self) -> str:
        v = self.versions
        return (f"migra {v['migra']} (schemainspect {v['schemainspect']}, sqlbag {v['sqlbag']}, "
                f"SQLAlchemy {v['SQLAlchemy']}, psycopg2 {v['psycopg2-binary']})")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.stderr.close()


def start_migra(args) -> tuple[Migra | None, str]:
    """The migra worker and a line saying what runs, or None and why not."""
    if args.no_migra:
        return None, "migra: skipped (--no-migra)"
    try:
        python = args.migra_python or bench_python()
        migra = Migra(python)
    except (RuntimeError, OSError) as exc:
        return None, (f"migra: not run: {exc}\n  (it runs from .venv-bench/, made by this script "
                      "with pip from the 'bench' extra; or pass --migra-python)")
    where = args.migra_python or f"{BENCH_VENV.name}/"
    return migra, f"peer: {migra.describe()}, in {where}"


# ---------------------------------------------------------------------------------------
# convergence on the corpus


def best(action: Callable[[], object], repeats: int) -> tuple[object, float, float]:
    """The result of ``action``, its best wall time of ``repeats`` runs and the first run's
    (the engine keeps caches of parsed SQL text: the first run of a pair pays for them)."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return result, min(times), times[0]


@dataclass
class Outcome:
    """What one tool did on one pair: ``up``/``down`` True (converged), False, or None (n/a);
    ``why`` says what failed."""

    up: bool = False
    down: bool | None = None
    why: str = ""
    seconds: dict = field(default_factory=dict)


WORDS = {"added": "extra", "removed": "missing", "changed": "differs:"}


def differences(found) -> str:
    """A SchemaDiff as one short phrase: what the result has beyond the target (extra), lacks
    (missing) or has otherwise (differs: which fields)."""
    changes = list(found)
    first = changes[0]
    detail = f" ({', '.join(first.fields)})" if first.fields else ""
    text = f"{WORDS.get(first.action, first.action)} {first.kind} {first.name}{detail}"
    return text + (f"; +{len(changes) - 1} more" if len(changes) > 1 else "")


def in_one_transaction(conn, text: str, label: str) -> None:
    """Run a SQL script in one transaction, committed, as ``psql -1 -f`` does (how migra's
    output is meant to run); a failure is a DryRunError naming the statement. A script the
    statement splitter cannot parse goes to the server whole, which has the last word."""
    if not text.strip():
        return
    try:
        with conn.transaction():
            apply(conn, text, label)
    except SqlSyntaxError:
        try:
            with conn.transaction():
                conn.execute(text)
        except psycopg.Error as exc:
            said = str(exc).strip().splitlines()
            raise DryRunError(f"{label} failed: {said[0]}", where=said[1] if len(said) > 1 else None) from None


def as_a_runner(conn, statements, label: str) -> None:
    """Run a workbench migration as its runner does: each run of statements that can share a
    transaction in one transaction (with the migration's header), the others (``CONCURRENTLY``,
    ``ALTER TYPE … ADD VALUE``) each on its own."""
    for transactional, group in runs(statements):
        if transactional:
            in_one_transaction(conn, script(group), label)
            continue
        for statement in group:
            try:
                conn.execute(statement.sql)
            except psycopg.Error as exc:
                raise DryRunError(f"{label} failed: {str(exc).strip().splitlines()[0]}",
                                  where=statement.sql) from None


Step = tuple[str, Callable[[psycopg.Connection], None], object]


def applied(admin: str, before_sql: str, steps: list[Step]) -> tuple[list[bool], str]:
    """On a fresh database holding ``before_sql``, run each (label, action, wanted snapshot)
    and compare; the verdicts so far and why the first failure failed."""
    verdicts: list[bool] = []
    with fresh_database(admin) as dsn, psycopg.connect(dsn, autocommit=True) as conn:
        in_one_transaction(conn, before_sql, "before")
        for label, action, wanted in steps:
            try:
                action(conn)
            except DryRunError as exc:
                verdicts.append(False)
                return verdicts, failed_step(exc)
            found = compare(inspect(conn), wanted)
            verdicts.append(not found)
            if found:
                return verdicts, f"after {label}: {differences(found)}"
    return verdicts, ""


def short(exc: Exception) -> str:
    """An exception as one line: its type and first line (a WorkbenchError's ``what``)."""
    lines = (getattr(exc, "what", None) or str(exc)).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else ''}"


def failed_step(exc: DryRunError) -> str:
    """A failed statement as one line: what PostgreSQL said, and the statement's first line."""
    statement = (exc.where or "").strip().splitlines()
    return exc.what.strip().splitlines()[0] + (f" [{statement[0].strip()}]" if statement else "")


class PairError(Exception):
    """The pair's own before or after SQL failed: neither tool is judged on it."""


def converge_pair(admin: str, pair, migra: Migra | None, repeats: int, warm: bool) -> dict[str, Outcome]:
    """Both tools on one pair (see the module's doc)."""
    results: dict[str, Outcome] = {}
    with fresh_database(admin) as dsn_a, fresh_database(admin) as dsn_b:
        for dsn, text, label in ((dsn_a, pair.before, "before"), (dsn_b, pair.after, "after")):
            try:
                with psycopg.connect(dsn, autocommit=True) as conn:
                    in_one_transaction(conn, text, label)
            except DryRunError as exc:
                raise PairError(failed_step(exc)) from None

        def snapshots():
            with psycopg.connect(dsn_a, autocommit=True) as a, psycopg.connect(dsn_b, autocommit=True) as b:
                return inspect(a), inspect(b)

        if not warm:
            snapshots()
        (before, after), inspect_seconds, inspect_first = best(snapshots, repeats)
        ours = Outcome()
        results["workbench"] = ours
        try:
            if not warm:
                diff_sql(before, after, renames=pair.renames or None, allow_destructive=True)
            migration, diff_seconds, diff_first = best(
                lambda: diff_sql(before, after, renames=pair.renames or None, allow_destructive=True),
                repeats)
            ours.seconds = {"diff": (diff_seconds, diff_first),
                            "inspect+diff": (inspect_seconds + diff_seconds, inspect_first + diff_first)}
        except Exception as exc:  # the engine failing is a result to report
            ours.why = f"diff raised {short(exc)}"
            migration = None

        if migra is not None:
            theirs = Outcome()
            results["migra"] = theirs
            text, seconds, error = migra.diff(dsn_a, dsn_b, repeats)
            if error:
                theirs.why = f"migra raised {error}"
            else:
                theirs.seconds = {"run": seconds}
                try:
                    verdicts, theirs.why = applied(
                        admin, pair.before, [("up", lambda conn: in_one_transaction(conn, text, "up"), after)])
                except Exception as exc:
                    verdicts, theirs.why = [], f"applying raised {short(exc)}"
                theirs.up = verdicts == [True]
                if theirs.up and pair.renames and re.search(r"\bdrop (table|column)\b", text, re.I):
                    theirs.why = "converged by drop and re-create: renames lose data"

    if migration is not None:
        try:
            verdicts, ours.why = applied(admin, pair.before, [
                ("up", lambda conn: as_a_runner(conn, migration.up, "up"), after),
                ("down", lambda conn: as_a_runner(conn, migration.down, "down"), before)])
            ours.up = bool(verdicts) and verdicts[0]
            ours.down = len(verdicts) == 2 and verdicts[1]
        except Exception as exc:
            ours.why = f"applying raised {short(exc)}"
    return results


def convergence(admin: str, folder: Path, migra: Migra | None, repeats: int) -> list[str]:
    pairs = read_pairs(folder)
    lines = [f"corpus: {len(pairs)} pairs in {folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder}"]
    if not pairs:
        return lines
    with psycopg.connect(admin) as conn:
        major = conn.info.server_version // 10000
    started = time.perf_counter()
    outcomes: dict[str, dict[str, Outcome]] = {}
    skipped = [p.name for p in pairs if getattr(p, "requires", 0) > major]
    if skipped:
        lines.append(f"  skipped, they need a newer PostgreSQL than {major}: {', '.join(skipped)}")
    for number, pair in enumerate(p for p in pairs if p.name not in skipped):
        try:
            outcomes[pair.name] = converge_pair(admin, pair, migra, repeats, warm=number > 0)
        except PairError as exc:
            outcomes[pair.name] = {"setup": Outcome(why=f"the pair's SQL failed: {exc}")}
    lines.append(f"  ({time.perf_counter() - started:.0f} s for the whole corpus)")
    judged = {name: o for name, o in outcomes.items() if "setup" not in o}
    total = len(judged)
    ours = [o["workbench"] for o in judged.values()]
    summary = (f"converged: workbench {sum(o.up for o in ours)}/{total} "
               f"(down {sum(bool(o.down) for o in ours)}/{total})")
    if migra is not None:
        theirs = [o["migra"] for o in judged.values()]
        summary += f", migra {sum(o.up for o in theirs)}/{total} (down n/a)"
    lines.append(summary)
    for name, o in outcomes.items():
        if "setup" in o:
            lines.append(f"  not judged: {name}: {o['setup'].why}")
    width = max(len(name) for name in outcomes)
    for tool in ("workbench", "migra") if migra is not None else ("workbench",):
        failed = [(name, o[tool]) for name, o in judged.items()
                  if not o[tool].up or (tool == "workbench" and not o[tool].down)]
        lines.append(f"{tool} fails on {len(failed)}:" if failed else f"{tool} fails on none")
        lines += [f"  {name:<{width}}  {o.why}" for name, o in failed]
        if tool == "migra":
            lossy = [name for name, o in judged.items() if o[tool].up and o[tool].why]
            if lossy:
                lines.append(f"migra converges on {len(lossy)} by dropping and re-creating what was "
                             f"renamed (data lost): {', '.join(lossy)}")
    lines += timing_lines(judged, migra is not None, repeats)
    return lines


def mean_of(values: list[float]) -> float:
    return statistics.fmean(values) if values else float("nan")


def timing_lines(judged: dict[str, dict[str, Outcome]], with_migra: bool, repeats: int) -> list[str]:
    """Mean times per pair, over the pairs every tool diffed: best of the repeats and first run."""
    timed = [o for o in judged.values() if all(tool.seconds for tool in o.values())]
    if not timed:
        return ["mean time per pair: no pair diffed by every tool"]
    rows = [("workbench diff", [o["workbench"].seconds["diff"] for o in timed],
             "snapshots taken: inspect excluded"),
            ("workbench inspect+diff", [o["workbench"].seconds["inspect+diff"] for o in timed],
             "both databases inspected, then the diff")]
    if with_migra:
        rows.append(("migra", [o["migra"].seconds["run"] for o in timed],
                     "its own inspection of both databases included: it cannot diff snapshots"))
    means = {name: (mean_of([t[0] for t in times]), mean_of([t[1] for t in times]))
             for name, times, _ in rows}
    lines = [f"mean time per pair over {len(timed)} pairs, best of {repeats} runs (first run):"]
    lines += [f"  {name:<24}{means[name][0] * 1000:>8.1f} ms ({means[name][1] * 1000:>6.1f} ms)  {note}"
              for name, _, note in rows]
    if with_migra:
        full, migra = means["workbench inspect+diff"], means["migra"]
        lines.append(f"  like for like, migra / workbench inspect+diff = {migra[0] / full[0]:.2f}x "
                     f"(first runs {migra[1] / full[1]:.2f}x)")
    return lines


# ---------------------------------------------------------------------------------------
# speed on a large schema

SETUP = """
CREATE SCHEMA bench;
CREATE TYPE bench.state AS ENUM ('new', 'active', 'archived');
CREATE TABLE bench.tenants (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
"""


def changed(n: int) -> str | None:
    """The change table ``n`` gets in *after* (5% of the tables), or None."""
    if n % 20 != 3:
        return None
    return ("add columns", "retype columns", "add index", "policy")[(n // 20) % 4]


def table_sql(n: int, after: bool) -> str:
    """The SQL of table ``n``, its indexes, policy and view, as *before* or *after* has them."""
    change = changed(n) if after else None
    name = f"bench.t{n:04d}"
    amount = "numeric(16, 4)" if change == "retype columns" else "numeric(12, 2)"
    code = "varchar(80)" if change == "retype columns" else "varchar(40)"
    columns = [
        "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
        "tenant_id bigint NOT NULL REFERENCES bench.tenants (id)",
        f"parent_id bigint REFERENCES bench.t{n // 2:04d} (id) ON DELETE CASCADE",
        f"code {code} NOT NULL",
        "state bench.state NOT NULL DEFAULT 'new'",
        f"amount {amount} CHECK (amount >= 0)",
        "payload jsonb",
        "created_at timestamptz NOT NULL DEFAULT now()",
    ]
    if change == "add columns":
        columns += ["note text", "archived_at timestamptz"]
    parts = [f"CREATE TABLE {name} (\n    " + ",\n    ".join(columns) + "\n);",
             f"CREATE INDEX t{n:04d}_parent ON {name} (parent_id);",
             f"CREATE INDEX t{n:04d}_tenant_created ON {name} (tenant_id, created_at);"]
    if change == "add index":
        parts.append(f"CREATE INDEX t{n:04d}_open ON {name} (state, created_at) WHERE state <> 'archived';")
    has_policy = n % 3 == 0 or change == "policy"
    if has_policy:
        using = "tenant_id = current_setting('app.tenant', true)::bigint"
        if change == "policy":
            using += " AND state <> 'archived'"
        parts += [f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY;",
                  f"CREATE POLICY tenant ON {name} USING ({using});"]
    if n % 7 == 0:
        parts.append(f"CREATE VIEW bench.v{n:04d} AS SELECT id, tenant_id, code, amount "
                     f"FROM {name} WHERE state <> 'archived';")
    return "\n".join(parts)


def build(dsn: str, tables: int, after: bool) -> None:
    """Create the schema in ``dsn``, committing every ``BATCH`` tables (lock table size)."""
    with psycopg.connect(dsn) as conn:
        conn.execute(SETUP)
        for n in range(tables):
            conn.execute(table_sql(n, after))
            if n % BATCH == BATCH - 1:
                conn.commit()
        conn.commit()


def copy_of(admin: str, source_dsn: str, stack: ExitStack) -> str:
    """A copy of the database of ``source_dsn`` (CREATE DATABASE … TEMPLATE), dropped with
    ``stack``."""
    source = conninfo_to_dict(source_dsn)["dbname"]
    name = f"{source}_copy_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name),
                                                                       sql.Identifier(source)))

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    stack.callback(drop)
    return with_database(admin, name)


def converges_on_copy(admin: str, before_dsn: str, action, wanted, stack: ExitStack) -> str:
    """``yes``, or why not: ``action(conn)`` run on a copy of *before*, then compared."""
    dsn = copy_of(admin, before_dsn, stack)
    with psycopg.connect(dsn, autocommit=True) as conn:
        try:
            action(conn)
        except DryRunError as exc:
            return f"no ({failed_step(exc)})"
        found = compare(inspect(conn), wanted)
    return f"no ({differences(found)})" if found else "yes"


@contextmanager
def timer():
    box = {}
    started = time.perf_counter()
    yield box
    box["seconds"] = time.perf_counter() - started


def speed(admin: str, tables: int, migra: Migra | None) -> list[str]:
    with ExitStack() as stack:
        before_dsn = stack.enter_context(scratch_database(admin, prefix="wb_bench_diff_a"))
        after_dsn = stack.enter_context(scratch_database(admin, prefix="wb_bench_diff_b"))
        with timer() as built:
            build(before_dsn, tables, after=False)
            build(after_dsn, tables, after=True)
        with timer() as inspected:
            with psycopg.connect(before_dsn, autocommit=True) as a, \
                    psycopg.connect(after_dsn, autocommit=True) as b:
                before, after = inspect(a), inspect(b)
        count = sum(1 for n in range(tables) if changed(n))
        print(f"built two schemas of {tables} tables ({count} changed) in {built['seconds']:.0f} s, "
              f"inspected both in {inspected['seconds']:.2f} s", flush=True)
        lines = [f"{tables} tables, {count} of them changed ({len(before.objects.tables)} tables and "
                 f"views in the snapshot):"]
        try:
            migration, seconds, first = best(lambda: diff_sql(before, after, allow_destructive=True),
                                             SPEED_REPEATS)
        except Exception as exc:
            return lines + [f"  workbench diff raised {short(exc)}"]
        verdict = "meets" if seconds <= SPEED_TARGET else "MISSES"
        lines.append(f"  workbench diff {seconds:.3f} s (best of {SPEED_REPEATS}, inspect excluded; first run "
                     f"{first:.3f} s): {seconds / SPEED_TARGET:.2f}x the {SPEED_TARGET:.0f} s target "
                     f"({verdict} it); {len(migration.up)} up, {len(migration.down)} down statements")
        full = inspected["seconds"] + seconds
        lines.append(f"  workbench inspect+diff {full:.2f} s (both databases inspected once)")
        outcome = {"workbench": converges_on_copy(
            admin, before_dsn, lambda conn: as_a_runner(conn, migration.up, "up"), after, stack)}
        if migra is not None:
            text, (migra_seconds, _), error = migra.diff(before_dsn, after_dsn, 1)
            if error:
                lines.append(f"  migra raised {error}")
            else:
                lines.append(f"  migra {migra_seconds:.2f} s (one run, its inspection of both databases "
                             f"included): migra / workbench inspect+diff = {migra_seconds / full:.2f}x, "
                             f"migra / workbench diff alone = {migra_seconds / seconds:.2f}x")
                outcome["migra"] = converges_on_copy(
                    admin, before_dsn, lambda conn: in_one_transaction(conn, text, "up"), after, stack)
        lines.append("  up SQL converges on a copy of before: "
                     + ", ".join(f"{tool} {said}" for tool, said in outcome.items()))
        return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=Path, default=PAIRS, help="folder of before/after pairs")
    parser.add_argument("--tables", type=int, default=1000, help="tables of the speed schema (default 1000)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per pair, best counts (default 3)")
    parser.add_argument("--dsn", help="admin DSN of the server to use (default: the embedded one)")
    parser.add_argument("--migra-python", help="an interpreter with the 'bench' extra installed "
                                               "(default: .venv-bench/, made when missing)")
    parser.add_argument("--no-migra", action="store_true", help="run workbench only")
    parser.add_argument("--skip-corpus", action="store_true", help="only the speed part")
    parser.add_argument("--skip-speed", action="store_true", help="only the convergence part")
    args = parser.parse_args(argv)
    if args.dsn is None:
        from workbench import embedded

        args.dsn = embedded.server_dsn("postgres")
    migra, said = start_migra(args)
    print(said, flush=True)
    try:
        if not args.skip_corpus:
            print("\n".join(convergence(args.dsn, args.pairs.resolve(), migra, args.repeats)), flush=True)
        if not args.skip_speed:
            print("\n".join(speed(args.dsn, args.tables, migra)), flush=True)
    finally:
        if migra is not None:
            migra.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
