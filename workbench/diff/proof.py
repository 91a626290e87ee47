"""The proof of a migration: applied both ways on a throwaway database and compared.

1. A fresh database on the same server gets *before*, built by the diff itself from an
   empty database (so the roles, extensions and server are the real ones);
2. the up statements run; the result must equal *after*;
3. the down statements run; the result must equal *before*.
Each comparison lists what differs object by object. Owners are not compared (new objects
belong to whoever runs the migration), nor the order of columns PostgreSQL appends.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import psycopg

from ..catalog import Schema, inspect
from ..catalog.diff import SchemaDiff, diff
from ..drafts.dryrun import DryRunError, apply
from ..errors import WorkbenchError
from .scratch import fresh_database, fresh_snapshot
from .model import runs, script


@dataclass(frozen=True)
class Proof:
    """What applying a migration both ways did. ``ok`` when *before* was built exactly and
    up reached *after* and down came back to *before*; ``error`` names a failed step."""

    setup: SchemaDiff | None = None
    up: SchemaDiff | None = None
    down: SchemaDiff | None = None
    error: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.error and all(d is not None and not d for d in (self.setup, self.up, self.down))

    def summary_text(self) -> str:
        if self.error:
            return f"proof FAILED: {self.error}"
        lines = ["proof: up reaches the desired schema and down restores the current one" if self.ok
                 else "proof FAILED"]
        for label, found in (("building the current schema", self.setup), ("after up", self.up),
                             ("after down", self.down)):
            if found:
                lines.append(f"{label}, differences:")
                lines += [f"  {change}" for change in found]
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary_text()

    def __repr__(self) -> str:
        return f"<Proof {'ok' if self.ok else 'FAILED'}>"

    def _repr_markdown_(self) -> str:
        return "```\n" + self.summary_text() + "\n```"

    def to_dict(self) -> dict:
        return {"ok": self.ok, "error": self.error,
                "setup": self.setup.to_dict() if self.setup is not None else None,
                "up": self.up.to_dict() if self.up is not None else None,
                "down": self.down.to_dict() if self.down is not None else None}


def verify(migration, target=None, *, base: Schema | None = None) -> Proof:
    """Apply ``migration`` up and down on a throwaway database next to ``target`` (a Session,
    a DSN, or None for the embedded server) and compare each result.

    ``base`` is the whole database to build when the migration's snapshots cover only some
    schemas (their schemas are then the ones compared)."""
    from .engine import diff_sql

    admin = admin_dsn(target)
    before, after = migration.before, migration.after
    schemas = None if base is None else sorted({s.name for s in before.objects.schemas} |
                                                {s.name for s in after.objects.schemas})
    with fresh_database(admin) as dsn, psycopg.connect(dsn, autocommit=True) as conn:
        build = diff_sql(fresh_snapshot(dsn), base or before, allow_destructive=True)
        try:
            run(conn, build.up, "building the current schema")
            setup = compare(inspect(conn, schemas=schemas), before)
            run(conn, migration.up, "up")
            up = compare(inspect(conn, schemas=schemas), after)
            run(conn, migration.down, "down")
            down = compare(inspect(conn, schemas=schemas), before)
        except DryRunError as exc:
            return Proof(error=exc.message)
    return Proof(setup, up, down)


def run(conn, statements, step: str) -> None:
    """Run ``statements`` as a migration runner does: each run of transactional ones in one
    transaction (with the migration header), committed; the others (``CONCURRENTLY``,
    ``ALTER TYPE … ADD VALUE``) each on its own, outside any transaction."""
    for transactional, group in runs(statements):
        if not transactional:
            for statement in group:
                outside_transaction(conn, statement.sql, step)
            continue
        try:
            with conn.transaction():
                conn.execute(script(group))  # at once: it nearly always succeeds
        except psycopg.Error:
            with conn.transaction():  # again, one statement at a time, to name the one that fails
                try:
                    apply(conn, script(group), step)
                except DryRunError as exc:
                    raise DryRunError(exc.what, where=exc.where, hint=exc.hint) from None


def outside_transaction(conn, sql: str, step: str) -> None:
    """Run one statement in autocommit mode; a failure is a :class:`DryRunError` naming it."""
    try:
        conn.execute(sql)
    except psycopg.Error as exc:
        raise DryRunError(f"{step} failed: {str(exc).strip().splitlines()[0]}", where=sql) from None


def compare(found: Schema, wanted: Schema) -> SchemaDiff:
    """What differs between two snapshots, owners and column order aside."""
    return diff(comparable(wanted), comparable(found))


def comparable(schema: Schema) -> Schema:
    """``schema`` without what a proof does not compare (owners, grantors, column order)."""
    objects = schema.objects
    tables = tuple(replace(t, owner="", columns=tuple(sorted(t.columns, key=lambda c: c.name)))
                   for t in objects.tables)
    return replace(schema, objects=replace(
        objects, tables=tables,
        schemas=tuple(replace(s, owner="") for s in objects.schemas),
        sequences=tuple(replace(s, owner="") for s in objects.sequences),
        enums=tuple(replace(e, owner="") for e in objects.enums),
        functions=tuple(replace(f, owner="") for f in objects.functions),
        grants=tuple(replace(g, grantor="") for g in objects.grants)))


def admin_dsn(target) -> str:
    """The DSN of the maintenance database of the server behind ``target``."""
    from .. import embedded
    from ..dsn import with_database

    if target is None:
        return embedded.server_dsn("postgres")
    dsn = target if isinstance(target, str) else getattr(target, "dsn", None)
    if dsn is None:
        raise WorkbenchError("cannot tell which server to prove the migration on",
                             hint="pass a Session (workbench.connect()) or a DSN")
    return with_database(dsn, "postgres")
