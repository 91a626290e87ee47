"""The Row Level Security isolation probe as an optional verify step: at head, every table
with RLS enabled is probed for one tenant reaching another's rows.

Any cross-tenant access fails the step, unless the project accepts it, with a reason, in
``<migrations>/invariants/accepted_leaks.toml``::

    [[leak]]
    table = "app.tasks"
    command = "UPDATE"
    reason = "known: fixed by the next release"

Skipped, saying so, where no table has RLS enabled or there is nobody to impersonate (no
auth schema): a probe that probed nothing never passes.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

from ..catalog import Schema
from ..dsn import scrub
from ..errors import WorkbenchError
from ..session import Session
from .invariants import INVARIANTS_DIR
from .report import FAILED, PASSED, SKIPPED, Check
from .rls import probe

NAME = "rls probe"
ACCEPTED_FILE = "accepted_leaks.toml"
BASE_KINDS = ("table", "partitioned")

Accepted = dict[tuple[str, str], str]


def rls_tables(schema: Schema) -> list[tuple[str, str]]:
    """The base tables with Row Level Security enabled."""
    return [t.key for t in schema.objects.tables
            if t.rls_enabled and t.kind in BASE_KINDS and t.partition_of is None]


def isolation_check(session: Session, schema: Schema, migrations_dir: Path) -> Check:
    """Probe the RLS tables of ``schema`` (the session's database) for cross-tenant access."""
    tables = rls_tables(schema)
    if not tables:
        return Check(NAME, SKIPPED, "no table has Row Level Security enabled")
    try:
        accepted = accepted_leaks(migrations_dir)
        report = probe(session, tables=tables)
    except WorkbenchError as exc:
        return Check(NAME, FAILED, scrub(exc.message.splitlines()[0], session.dsn))
    except Exception as exc:  # a probe that cannot run is a failed step, with the reason
        return Check(NAME, FAILED, scrub(f"the probe failed: {type(exc).__name__}: {exc}".splitlines()[0],
                                         session.dsn))
    if report.skipped:
        return Check(NAME, SKIPPED, f"tenant isolation was not probed: {report.skipped}")
    return verdict(report, accepted)


def verdict(report, accepted: Accepted) -> Check:
    """Failed on any cross-tenant access the project has not accepted; accepted ones and
    accepted ones no longer found are listed."""
    failures = list(getattr(report, "failures", ()))
    found = {(r.table, r.command) for r in failures}
    unaccepted = [r.line() for r in failures if (r.table, r.command) not in accepted]
    taken = [f"accepted: {r.line()} ({accepted[(r.table, r.command)]})"
             for r in failures if (r.table, r.command) in accepted]
    stale = [f"accepted but no longer found: {table} {command} (remove it from {ACCEPTED_FILE})"
             for table, command in accepted if (table, command) not in found]
    detail = summary(report) + (f"; {len(taken)} accepted in {ACCEPTED_FILE}" if taken else "")
    failed = unaccepted or (not report.ok and not failures)
    return Check(NAME, FAILED if failed else PASSED, detail, tuple(unaccepted + taken + stale))


def accepted_leaks(migrations_dir: Path) -> Accepted:
    """The cross-tenant accesses the project accepts: {(table, COMMAND): reason}."""
    path = migrations_dir / INVARIANTS_DIR / ACCEPTED_FILE
    if not path.exists():
        return {}
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("leak", [])
        return {(e["table"], e["command"].upper()): e["reason"] for e in entries}
    except (tomllib.TOMLDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise WorkbenchError(f"{ACCEPTED_FILE} is not valid: {exc}", where=str(path),
                             hint="each [[leak]] needs table, command and reason") from None


def summary(report) -> str:
    """The probe's one-line summary (its first line of text otherwise)."""
    if hasattr(report, "summary"):
        return report.summary()
    lines = str(report).strip().splitlines()
    return lines[0] if lines else ""
