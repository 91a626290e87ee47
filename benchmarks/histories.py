"""Does ``workbench.diff`` converge on real migration histories, step by step?

    python benchmarks/histories.py [--supabase] [--without-extension NAME[,NAME]]
                                   [--without-transaction-control] [--no-check-function-bodies]
                                   [--dsn ADMIN_DSN] [--json FILE] [-v]
                                   [NAME=]FOLDER [[NAME=]FOLDER ...]

The findings on public histories are in ``docs/diff-real-histories.md``.

A history is a folder of migration files, read the way its tool reads it:

- **Drizzle** (the folder holds ``meta/_journal.json``): the journal's entries in order,
  each ``<tag>.sql`` split on ``--> statement-breakpoint``;
- **Supabase** and any other folder of ``.sql`` files (``supabase/migrations``): the files
  sorted by name (only the ``*.up.sql`` ones when there are such). A folder holding
  ``supabase/migrations`` is read there;
- a folder of migration folders (drizzle-kit 1.x, Prisma): each ``*/migration.sql`` in the
  order of the folder names, split on ``--> statement-breakpoint`` too.

``--without-extension NAME`` takes the history's ``CREATE EXTENSION NAME`` statements out
(for an extension this server does not have, when the rest of the history does not need it
to apply: plpgsql bodies that call its functions are not checked when created); the output
says so.

``--without-transaction-control`` takes the history's own ``BEGIN``/``COMMIT`` statements
out (``desired.from_sql`` applies the SQL inside one transaction, where they break it); the
output says so.

``--no-check-function-bodies`` runs every step's SQL after ``SET check_function_bodies =
off`` (as ``pg_dump`` scripts do), for histories whose ``LANGUAGE sql`` functions name tables
created further down the same file; the output says so.

``--supabase`` puts the project's Supabase shim (``workbench/samples/sql/supabase_shim.sql``:
roles ``anon``/``authenticated``/``service_role``, schema ``auth`` with ``auth.users``,
``auth.uid()``, ``auth.role()``, ``auth.jwt()``) in front of every step's SQL, before and
after alike, for histories written against Supabase. It applies to every folder named.

For each step *k* of a history of *n* files:

1. *before* = ``desired.from_sql`` of files 1..k-1 concatenated (the shim first), *after*
   = the same of files 1..k (each a throwaway database on the server, inspected; every
   prefix is built once and reused);
2. ``diff_sql(before, after, allow_destructive=True)`` (no renames given);
3. ``migration.verify(admin)``: *before* built by the diff from an empty database, up
   applied and compared with *after*, down applied and compared with *before*;
4. **replay**: the same up and down statements on a database built by the history itself
   (files 1..k-1 applied, as the user's real database is), each result compared with the
   snapshots as the proof does; and, on both sides, the objects the snapshot does not hold
   (publications and their tables, replica identity, domains, composite and range types,
   rules, event triggers, extended statistics, casts, collations, operators, foreign
   servers) listed from the catalogs and compared with those of a database built by files
   1..k (after up) and 1..k-1 (after down). The proof cannot see what the snapshot does not
   hold; the replay says what the migration leaves out there.

A step whose files cannot be applied on this server at all (an extension that is not
installed, a statement that fails on its own) is reported as **cannot build**, with the
reason; so is every later step, since its prefix holds the same file. These are not counted
as diff failures. A step converges *up* when the proof built *before* exactly and up reached
*after*; *down* when down then restored *before*. For each step that does not converge both
ways the first difference (or the error) is printed; ``-v`` prints every difference and the
up and down SQL.

One line a step (up, down, statements up/down, replay up/down, seconds to diff, to prove and
to replay), then one summary line a history: ``NAME: X/N steps converge both ways``, and how
many of those also replay exactly. ``--json`` writes the figures and reasons as JSON too.
Nothing is written to any database but throwaway ones.
"""
from __future__ import annotations

import os
import sys

# Run as a script, this file's folder comes first on sys.path, where benchmarks/inspect.py
# would hide the standard library's ``inspect``: take the folder off.
if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
    sys.path.pop(0)

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
from dataclasses import asdict, dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

import psycopg  # noqa: E402

from workbench.catalog import inspect  # noqa: E402
from workbench.diff import diff_sql  # noqa: E402
from workbench.diff.desired import from_sql  # noqa: E402
from workbench.diff.desired import without_transaction_control as without_own_transactions  # noqa: E402
from workbench.diff.proof import admin_dsn, compare, run  # noqa: E402
from workbench.drafts.dryrun import DryRunError, apply  # noqa: E402
from workbench.errors import WorkbenchError  # noqa: E402
from workbench.samples.sqlfiles import read_sql  # noqa: E402
from workbench.testing import scratch_database  # noqa: E402

BREAKPOINT = "--> statement-breakpoint"
SHIM_FILE = "supabase_shim.sql"

# ---------------------------------------------------------------------------------------
# reading a history


@dataclass(frozen=True)
class Step:
    """One migration file of a history: its name and the SQL it runs."""

    name: str
    sql: str


@dataclass(frozen=True)
class History:
    name: str
    folder: Path
    layout: str  # "drizzle" or "sql files"
    steps: tuple[Step, ...]


def read_history(spec: str) -> History:
    """``[NAME=]FOLDER`` as a :class:`History` (Drizzle journal order or file-name order)."""
    name, _, path = spec.partition("=") if "=" in spec else ("", "", spec)
    folder = Path(path).expanduser()
    if (folder / "supabase" / "migrations").is_dir():
        folder = folder / "supabase" / "migrations"
    if not folder.is_dir():
        raise SystemExit(f"no such folder: {folder}")
    name = name or default_name(folder)
    journal = folder / "meta" / "_journal.json"
    if journal.is_file():
        entries = sorted(json.loads(journal.read_text())["entries"], key=lambda e: e["idx"])
        steps = []
        for entry in entries:
            file = folder / f"{entry['tag']}.sql"
            if not file.is_file():
                raise SystemExit(f"{name}: the journal names {file.name}, which is missing")
            steps.append(Step(file.name, drizzle_sql(file.read_text())))
        return History(name, folder, "drizzle", tuple(steps))
    nested = sorted(folder.glob("*/migration.sql"), key=lambda f: f.parent.name)
    if nested:  # drizzle-kit 1.x and Prisma: one folder a migration
        return History(name, folder, "migration folders",
                       tuple(Step(f.parent.name, drizzle_sql(f.read_text())) for f in nested))
    files = sorted(folder.glob("*.up.sql"), key=lambda f: f.name) or \
        sorted(folder.glob("*.sql"), key=lambda f: f.name)
    if not files:
        raise SystemExit(f"{name}: no .sql files in {folder}")
    return History(name, folder, "sql files", tuple(Step(f.name, f.read_text()) for f in files))


def without_extensions(history: History, names) -> tuple[History, list[str]]:
    """``history`` without its ``CREATE EXTENSION`` statements for ``names``, and what was
    taken out (file: statement)."""
    if not names:
        return history, []
    pattern = re.compile(r'^\s*create\s+extension\s+(if\s+not\s+exists\s+)?"?(%s)"?\b[^;]*;'
                         % "|".join(re.escape(n) for n in names), re.IGNORECASE | re.MULTILINE)
    removed, steps = [], []
    for step in history.steps:
        removed += [f"{step.name}: {m.group(0).strip()}" for m in pattern.finditer(step.sql)]
        steps.append(Step(step.name, pattern.sub("", step.sql)))
    return History(history.name, history.folder, history.layout, tuple(steps)), removed


def without_transaction_control(history: History) -> tuple[History, list[str]]:
    """``history`` without its top-level transaction statements (``BEGIN``, ``COMMIT``…),
    found by PostgreSQL's parser, and what was taken out (file: statement)."""
    import pglast
    from pglast import ast

    removed, steps = [], []
    for step in history.steps:
        data = step.sql.encode()
        cuts = []
        for raw in pglast.parse_sql(step.sql):
            if isinstance(raw.stmt, ast.TransactionStmt):
                start = raw.stmt_location
                end = start + raw.stmt_len if raw.stmt_len else len(data)
                while end < len(data) and data[end:end + 1] in (b" ", b"\t", b"\r", b"\n"):
                    end += 1
                if data[end:end + 1] == b";":
                    end += 1
                cuts.append((start, end))
        removed += [f"{step.name}: {data[a:b].decode().strip()}" for a, b in cuts]
        for start, end in reversed(cuts):
            data = data[:start] + data[end:]
        steps.append(Step(step.name, data.decode()))
    return History(history.name, history.folder, history.layout, tuple(steps)), removed


def default_name(folder: Path) -> str:
    """The folder's name, with its parent's when the name alone says nothing."""
    parts = folder.resolve().parts
    generic = {"migrations", "drizzle", "supabase", "db", "sql"}
    keep = [p for p in parts[-3:] if p not in generic] or [parts[-1]]
    return keep[-1]


def drizzle_sql(text: str) -> str:
    """A Drizzle migration file as the statements drizzle-kit runs, one after the other."""
    statements = []
    for piece in text.replace("\r\n", "\n").split(BREAKPOINT):
        piece = piece.strip()
        if piece:
            statements.append(piece if piece.endswith(";") else piece + ";")
    return "\n".join(statements) + "\n"


# ---------------------------------------------------------------------------------------
# what a snapshot does not hold

USER_OBJECT = """
    {nsp} NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '{cls}'::regclass
                    AND d.objid = {oid} AND d.deptype = 'e')
"""

BLIND_SPOTS = [
    ("publication", """
        SELECT format('publication %I%s', p.pubname,
                      CASE WHEN p.puballtables THEN ' FOR ALL TABLES' ELSE '' END)
        FROM pg_publication p"""),
    ("publication table", """
        SELECT format('publication %I: table %I.%I', pubname, schemaname, tablename)
        FROM pg_publication_tables"""),
    ("replica identity", """
        SELECT format('replica identity %s on %I.%I',
                      CASE c.relreplident WHEN 'f' THEN 'FULL' WHEN 'n' THEN 'NOTHING'
                                          ELSE 'USING INDEX' END, n.nspname, c.relname)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND c.relreplident <> 'd' AND """
        + USER_OBJECT.format(nsp="n.nspname", cls="pg_class", oid="c.oid")),
    ("type", """
        SELECT format('%s %I.%I', CASE t.typtype WHEN 'd' THEN 'domain' WHEN 'r' THEN 'range type'
                      WHEN 'm' THEN 'multirange type' ELSE 'composite type' END, n.nspname, t.typname)
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE (t.typtype IN ('d', 'r', 'm')
               OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
          AND """ + USER_OBJECT.format(nsp="n.nspname", cls="pg_type", oid="t.oid")),
    ("rule", """
        SELECT format('rule %I on %I.%I', r.rulename, n.nspname, c.relname)
        FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE r.rulename <> '_RETURN' AND """
        + USER_OBJECT.format(nsp="n.nspname", cls="pg_rewrite", oid="r.oid")),
    ("event trigger", """
        SELECT format('event trigger %I', e.evtname) FROM pg_event_trigger e
        WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_event_trigger'::regclass
                          AND d.objid = e.oid AND d.deptype = 'e')"""),
    ("statistics", """
        SELECT format('statistics %I.%I', n.nspname, s.stxname)
        FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace
        WHERE """ + USER_OBJECT.format(nsp="n.nspname", cls="pg_statistic_ext", oid="s.oid")),
    ("cast", """
        SELECT format('cast (%s AS %s)', c.castsource::regtype, c.casttarget::regtype)
        FROM pg_cast c WHERE c.oid >= 16384
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_cast'::regclass
                          AND d.objid = c.oid AND d.deptype = 'e')"""),
    ("collation", """
        SELECT format('collation %I.%I', n.nspname, c.collname)
        FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace
        WHERE c.oid >= 16384 AND """
        + USER_OBJECT.format(nsp="n.nspname", cls="pg_collation", oid="c.oid")),
    ("operator", """
        SELECT format('operator %I.%s', n.nspname, o.oprname)
        FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace
        WHERE o.oid >= 16384 AND """
        + USER_OBJECT.format(nsp="n.nspname", cls="pg_operator", oid="o.oid")),
    ("foreign server", """
        SELECT format('foreign server %I', s.srvname) FROM pg_foreign_server s
        WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_foreign_server'::regclass
                          AND d.objid = s.oid AND d.deptype = 'e')"""),
]


def blind_spots(conn) -> frozenset[str]:
    """The objects of the database that a snapshot does not hold, one line each."""
    found = set()
    for _, query in BLIND_SPOTS:
        found.update(row[0] for row in conn.execute(query))
    return frozenset(found)


def built(server: str, text: str):
    """A new database holding ``text`` applied as ``from_sql`` applies it (a context manager
    giving the open connection), dropped after. Not one of the diff's pooled scratch
    databases: those are emptied schema by schema, and what lives outside schemas (a
    publication, an event trigger) would carry over from one use to the next."""
    from contextlib import contextmanager

    @contextmanager
    def scope():
        with scratch_database(server, prefix="wb_histories") as dsn, \
                psycopg.connect(dsn, autocommit=True) as conn:
            with conn.transaction():
                conn.execute("SET LOCAL check_function_bodies = off")
                apply(conn, without_own_transactions(text), "the history")
            yield conn

    return scope()


# ---------------------------------------------------------------------------------------
# running a history


@dataclass
class Outcome:
    """What happened to one step."""

    step: int
    name: str
    status: str  # "converges", "up only", "fails", "cannot build", "diff error"
    up: bool | None = None
    down: bool | None = None
    up_statements: int = 0
    down_statements: int = 0
    destructive: int = 0
    questions: int = 0
    build_seconds: float = 0.0
    diff_seconds: float = 0.0
    verify_seconds: float = 0.0
    reason: str = ""
    details: list[str] = field(default_factory=list)
    replay_up: bool | None = None
    replay_down: bool | None = None
    replay_seconds: float = 0.0
    replay: list[str] = field(default_factory=list)
    up_sql: str = ""
    down_sql: str = ""


def first_line(text: str) -> str:
    return str(text).strip().splitlines()[0] if str(text).strip() else ""


def prefix_text(history: History, prelude: str, k: int) -> str:
    """The prelude, then files 1..k of the history, as one SQL text."""
    return prelude + "".join(f"\n-- {s.name}\n{s.sql}\n" for s in history.steps[:k])


def build_prefixes(history: History, server: str, prelude: str):
    """The snapshot after each prefix of the history (index 0: the prelude alone), the
    reason a prefix cannot be built (or ""), the seconds each took, and the objects each
    prefix creates that a snapshot does not hold."""
    snapshots, reasons, seconds, spots = [], [], [], []
    blocked = ""
    for k in range(len(history.steps) + 1):
        if blocked:
            snapshots.append(None)
            reasons.append(blocked)
            seconds.append(0.0)
            spots.append(None)
            continue
        text = prefix_text(history, prelude, k)
        started = time.perf_counter()
        try:
            snapshots.append(from_sql(text, server=server, label=f"{history.name} 1..{k}"))
            reasons.append("")
            with built(server, text) as conn:
                spots.append(blind_spots(conn))
        except WorkbenchError as exc:
            what = first_line(exc.what)
            where = first_line(exc.where or "")
            # "<label> failed at statement N: <error>": the error is what matters
            error = what.split(": ", 1)[1] if ": " in what else what
            reason = (f"{history.steps[k - 1].name} does not apply: {error}" if k
                      else f"the prelude does not apply: {error}")
            if where:
                reason += f" (at: {where[:120]})"
            snapshots.append(None)
            reasons.append(reason)
            spots.append(None)
            blocked = f"an earlier step cannot build ({history.steps[k - 1].name})" if k else reason
        seconds.append(time.perf_counter() - started)
    return snapshots, reasons, seconds, spots


def replay(outcome: Outcome, migration, history: History, k: int, prelude: str, server: str,
           spots_before: frozenset, spots_after: frozenset) -> None:
    """Up and down on a database the history built (files 1..k-1), compared with the
    snapshots and, for what the snapshots do not hold, with the history's own databases."""
    started = time.perf_counter()
    try:
        replay_on(outcome, migration, history, k, prelude, server, spots_before, spots_after)
    except Exception as exc:  # a failure of the replay itself is reported, not raised
        outcome.replay_up = outcome.replay_down = None
        outcome.replay.append(f"replay raised {type(exc).__name__}: {first_line(exc)}")
    finally:
        outcome.replay_seconds = time.perf_counter() - started


def replay_on(outcome: Outcome, migration, history: History, k: int, prelude: str, server: str,
              spots_before: frozenset, spots_after: frozenset) -> None:
    with built(server, prefix_text(history, prelude, k - 1)) as conn:
        try:
            run(conn, migration.up, "up")
        except DryRunError as exc:
            outcome.replay_up = outcome.replay_down = False
            outcome.replay.append(f"up failed: {first_line(exc.what)}")
            return
        found = compare(inspect(conn), migration.after)
        up_spots = blind_spots(conn)
        outcome.replay_up = not found and up_spots == spots_after
        outcome.replay += [f"after up: {c}" for c in found]
        outcome.replay += [f"after up, missing: {x}" for x in sorted(spots_after - up_spots)]
        outcome.replay += [f"after up, left over: {x}" for x in sorted(up_spots - spots_after)]
        try:
            run(conn, migration.down, "down")
        except DryRunError as exc:
            outcome.replay_down = False
            outcome.replay.append(f"down failed: {first_line(exc.what)}")
            return
        found = compare(inspect(conn), migration.before)
        down_spots = blind_spots(conn)
        outcome.replay_down = not found and down_spots == spots_before
        outcome.replay += [f"after down: {c}" for c in found]
        outcome.replay += [f"after down, missing: {x}" for x in sorted(spots_before - down_spots)]
        outcome.replay += [f"after down, left over: {x}" for x in sorted(down_spots - spots_before)]


def run_step(k: int, history: History, before, after, server: str, build_seconds: float,
             prelude: str = "", spots_before=frozenset(), spots_after=frozenset()) -> Outcome:
    step = history.steps[k - 1]
    outcome = Outcome(k, step.name, "fails", build_seconds=build_seconds)
    started = time.perf_counter()
    try:
        migration = diff_sql(before, after, allow_destructive=True)
    except Exception as exc:  # an engine failure is a finding, not a crash of the benchmark
        outcome.status = "diff error"
        outcome.diff_seconds = time.perf_counter() - started
        outcome.reason = f"diff_sql raised {type(exc).__name__}: {first_line(exc)}"
        return outcome
    outcome.diff_seconds = time.perf_counter() - started
    outcome.up_statements, outcome.down_statements = len(migration.up), len(migration.down)
    outcome.destructive, outcome.questions = len(migration.destructive), len(migration.questions)
    outcome.up_sql, outcome.down_sql = migration.up_sql, migration.down_sql
    started = time.perf_counter()
    try:
        proof = migration.verify(server)
    except Exception as exc:
        outcome.verify_seconds = time.perf_counter() - started
        outcome.reason = f"verify raised {type(exc).__name__}: {first_line(exc)}"
        return outcome
    outcome.verify_seconds = time.perf_counter() - started
    if proof.error:
        outcome.reason = first_line(proof.error)
        where = proof.error.split("where: ", 1)[1] if "where: " in proof.error else ""
        if where:
            outcome.details.append(f"statement: {first_line(where)[:200]}")
        stage = outcome.reason.split(" failed", 1)[0]
        outcome.up = False if stage in ("up", "building the current schema") else True
        outcome.down = False
        if stage == "building the current schema":
            outcome.up = outcome.down = None
    else:
        setup_ok = proof.setup is not None and not proof.setup
        outcome.up = setup_ok and proof.up is not None and not proof.up
        outcome.down = setup_ok and proof.down is not None and not proof.down
        for label, found in (("building before", proof.setup), ("after up", proof.up),
                             ("after down", proof.down)):
            if found:
                changes = [str(c) for c in found]
                if not outcome.reason:
                    outcome.reason = f"{label}: {changes[0]}" + (
                        f" (and {len(changes) - 1} more)" if len(changes) > 1 else "")
                outcome.details += [f"{label}: {c}" for c in changes]
        if not setup_ok:
            outcome.up = outcome.down = None
    outcome.status = ("converges" if outcome.up and outcome.down else
                      "up only" if outcome.up else "fails")
    replay(outcome, migration, history, k, prelude, server, spots_before, spots_after)
    return outcome


def run_history(history: History, server: str, prelude: str, verbose: bool,
                removed=()) -> list[Outcome]:
    shim = " (the Supabase shim first, before and after)" if "CREATE SCHEMA IF NOT EXISTS auth" in prelude else ""
    print(f"\n{history.name}: {len(history.steps)} steps, {history.layout} in {history.folder}{shim}",
          flush=True)
    for statement in removed:
        print(f"  taken out: {statement}")
    snapshots, reasons, seconds, spots = build_prefixes(history, server, prelude)
    if reasons[0]:
        print(f"  cannot start: {reasons[0]}")
    outcomes = []
    for k in range(1, len(history.steps) + 1):
        name = history.steps[k - 1].name
        if snapshots[k - 1] is None or snapshots[k] is None:
            reason = reasons[k] or reasons[k - 1]
            outcome = Outcome(k, name, "cannot build", reason=reason, build_seconds=seconds[k])
        else:
            outcome = run_step(k, history, snapshots[k - 1], snapshots[k], server, seconds[k],
                               prelude, spots[k - 1], spots[k])
        outcomes.append(outcome)
        print_outcome(outcome, verbose)
    print(summary_line(history.name, outcomes), flush=True)
    return outcomes


def mark(value: bool | None) -> str:
    return "-" if value is None else ("yes" if value else "NO")


def print_outcome(o: Outcome, verbose: bool) -> None:
    if o.status in ("cannot build", "diff error"):
        print(f"  {o.step:>3} {o.name:<52} {o.status}: {o.reason}", flush=True)
        return
    extra = "".join([f", {o.destructive} destructive" if o.destructive else "",
                     f", {o.questions} rename question(s)" if o.questions else ""])
    print(f"  {o.step:>3} {o.name:<52} up {mark(o.up):<3} down {mark(o.down):<3} "
          f"{o.up_statements:>3}/{o.down_statements:<3} statements{extra}  "
          f"replay {mark(o.replay_up)}/{mark(o.replay_down)}  "
          f"diff {o.diff_seconds:.2f}s, proof {o.verify_seconds:.2f}s, replay {o.replay_seconds:.2f}s",
          flush=True)
    if o.status != "converges":
        print(f"        why: {o.reason}")
        for line in (o.details if verbose else o.details[:1] if o.details and
                     o.details[0].startswith("statement:") else []):
            print(f"        {line}")
    if o.replay and (o.replay_up is False or o.replay_down is False):
        shown = o.replay if verbose else o.replay[:3]
        for line in shown:
            print(f"        replay: {line}")
        if len(o.replay) > len(shown):
            print(f"        replay: … and {len(o.replay) - len(shown)} more (-v)")
    if verbose and (o.status != "converges" or o.replay_up is False or o.replay_down is False):
        for label, text in (("up", o.up_sql), ("down", o.down_sql)):
            print(f"        --- {label} SQL")
            for line in (text or "-- none\n").splitlines():
                print(f"        {line}")


def summary_line(name: str, outcomes: list[Outcome]) -> str:
    total = len(outcomes)
    both = sum(o.status == "converges" for o in outcomes)
    unbuilt = sum(o.status == "cannot build" for o in outcomes)
    up_only = sum(o.status == "up only" for o in outcomes)
    failed = total - both - unbuilt - up_only
    parts = []
    if up_only:
        parts.append(f"{up_only} up only")
    if failed:
        parts.append(f"{failed} fail")
    if unbuilt:
        parts.append(f"{unbuilt} cannot build on this server")
    tail = f" ({', '.join(parts)})" if parts else ""
    replayed = sum(o.status == "converges" and o.replay_up is True and o.replay_down is True
                   for o in outcomes)
    replay = (f"; {replayed}/{both} of those also replay exactly on the history's own database"
              if both else "")
    return f"{name}: {both}/{total} steps converge both ways{tail}{replay}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="+", metavar="[NAME=]FOLDER",
                        help="a migration folder (Drizzle: with meta/_journal.json; "
                             "folders of migration.sql; otherwise .sql files in name order)")
    parser.add_argument("--supabase", action="store_true",
                        help="apply the Supabase shim (roles, auth schema, auth.uid()) first, "
                             "before and after every step")
    parser.add_argument("--without-extension", action="append", default=[], metavar="NAME",
                        help="take the history's CREATE EXTENSION NAME statements out "
                             "(an extension this server does not have); repeatable, or "
                             "NAME,NAME")
    parser.add_argument("--without-transaction-control", action="store_true",
                        help="take the history's own BEGIN/COMMIT statements out")
    parser.add_argument("--no-check-function-bodies", action="store_true",
                        help="SET check_function_bodies = off before each step's SQL "
                             "(as pg_dump scripts do)")
    parser.add_argument("--dsn", help="admin DSN of the server (default: the embedded server)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="every difference, and the up and down SQL of failing steps")
    args = parser.parse_args(argv)

    histories = [read_history(spec) for spec in args.folders]
    server = admin_dsn(args.dsn)
    prelude = read_sql(SHIM_FILE) + "\n" if args.supabase else ""
    if args.no_check_function_bodies:
        prelude = "SET check_function_bodies = off;\n" + prelude
    with psycopg.connect(server) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
    print(f"server: PostgreSQL {version}; Supabase shim: {'yes' if args.supabase else 'no'}; "
          f"check_function_bodies: {'off' if args.no_check_function_bodies else 'on'}")
    results, summaries = {}, []
    for history in histories:
        names = [n.strip() for item in args.without_extension for n in item.split(",") if n.strip()]
        history, removed = without_extensions(history, names)
        if args.without_transaction_control:
            history, more = without_transaction_control(history)
            removed += more
        outcomes = run_history(history, server, prelude, args.verbose, removed)
        results[history.name] = {"folder": str(history.folder), "layout": history.layout,
                                 "supabase_shim": args.supabase, "taken_out": removed,
                                 "check_function_bodies": not args.no_check_function_bodies,
                                 "steps": [asdict(o) for o in outcomes]}
        summaries.append(summary_line(history.name, outcomes))
    print("\nsummary")
    for line in summaries:
        print(f"  {line}")
    if args.json:
        Path(args.json).write_text(json.dumps({"server": version, "histories": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
