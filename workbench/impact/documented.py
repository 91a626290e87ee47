"""Statements a transaction cannot hold, and the locks PostgreSQL's documentation says they
take. The trace cannot run them in its rolled-back transaction, so it reports them as not
traced, with these documented locks, never as measured.

Each rule gives the documented mode per relation the statement names and where the
documentation says so. ``stand_in`` is the form the trace runs instead so that later
statements see the schema they expect (``CREATE INDEX`` for ``CREATE INDEX CONCURRENTLY``);
its time is not the statement's and is not presented as such.
"""
from __future__ import annotations

from dataclasses import dataclass

from pglast import ast
from pglast.enums import AlterTableType, ObjectType, ReindexObjectType
from pglast.stream import RawStream

LOCKING_DOCS = "https://www.postgresql.org/docs/current/explicit-locking.html#LOCKING-TABLES"
CREATE_INDEX_DOCS = "https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY"
DROP_INDEX_DOCS = "https://www.postgresql.org/docs/current/sql-dropindex.html"
REINDEX_DOCS = "https://www.postgresql.org/docs/current/sql-reindex.html#SQL-REINDEX-CONCURRENTLY"
VACUUM_DOCS = "https://www.postgresql.org/docs/current/sql-vacuum.html"
DETACH_DOCS = "https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-DETACH-PARTITION"
ENUM_DOCS = "https://www.postgresql.org/docs/current/sql-altertype.html"
ENUM_IN_TRANSACTION = 120000  # ALTER TYPE … ADD VALUE runs in a transaction since PostgreSQL 12


@dataclass(frozen=True)
class DocumentedLock:
    """A lock the documentation says a statement takes: ``relation`` as written in the
    statement, resolved later to ``schema.name`` (or, not ``named``, a description such as
    ``every table of the database``); ``index`` marks an index name whose table is meant."""

    relation: str
    mode: str
    index: bool = False
    named: bool = True


@dataclass(frozen=True)
class Untraceable:
    """Why a statement is not traced, the locks the documentation gives it, the page that
    says so, and the SQL run in its place (None: nothing is run)."""

    reason: str
    locks: tuple[DocumentedLock, ...]
    source: str
    stand_in: str | None = None


def untraceable(stmt, server_version: int) -> Untraceable | None:
    """The documented account of a statement that cannot run inside a transaction, or None."""
    for rule in RULES:
        found = rule(stmt, server_version)
        if found is not None:
            return found
    return None


def name(node) -> str:
    """A RangeVar or a name list as SQL text (``app.orders``, quoted where needed)."""
    if isinstance(node, ast.RangeVar):
        return RawStream()(node)
    return RawStream()(ast.ColumnRef(fields=tuple(node)))


def concurrent_index(stmt, _version) -> Untraceable | None:
    if not (isinstance(stmt, ast.IndexStmt) and stmt.concurrent):
        return None
    stmt.concurrent = False
    return Untraceable("CREATE INDEX CONCURRENTLY cannot run inside a transaction block",
                       (DocumentedLock(name(stmt.relation), "ShareUpdateExclusiveLock"),),
                       CREATE_INDEX_DOCS, RawStream()(stmt))


def concurrent_drop_index(stmt, _version) -> Untraceable | None:
    if not (isinstance(stmt, ast.DropStmt) and stmt.concurrent
            and stmt.removeType == ObjectType.OBJECT_INDEX):
        return None
    stmt.concurrent = False
    locks = tuple(DocumentedLock(name(obj), "ShareUpdateExclusiveLock", index=True)
                  for obj in stmt.objects)
    return Untraceable("DROP INDEX CONCURRENTLY cannot run inside a transaction block; "
                       "it does not lock out selects, inserts, updates or deletes on the table",
                       locks, DROP_INDEX_DOCS, RawStream()(stmt))


def concurrent_reindex(stmt, _version) -> Untraceable | None:
    if not (isinstance(stmt, ast.ReindexStmt)
            and any(option.defname == "concurrently" for option in stmt.params or ())):
        return None
    if stmt.relation is None:
        return Untraceable("REINDEX … CONCURRENTLY cannot run inside a transaction block",
                           (DocumentedLock(f"every table of {stmt.name or 'the database'}",
                                           "ShareUpdateExclusiveLock", named=False),), REINDEX_DOCS)
    is_index = stmt.kind == ReindexObjectType.REINDEX_OBJECT_INDEX
    return Untraceable("REINDEX … CONCURRENTLY cannot run inside a transaction block",
                       (DocumentedLock(name(stmt.relation), "ShareUpdateExclusiveLock", is_index),),
                       REINDEX_DOCS)


def whole_database_reindex(stmt, _version) -> Untraceable | None:
    if not (isinstance(stmt, ast.ReindexStmt) and stmt.relation is None):
        return None
    return Untraceable("REINDEX SCHEMA, DATABASE and SYSTEM cannot run inside a transaction block",
                       (DocumentedLock(f"each table of {stmt.name or 'the database'}, in turn",
                                       "AccessExclusiveLock", named=False),), REINDEX_DOCS)


def vacuum(stmt, _version) -> Untraceable | None:
    if not (isinstance(stmt, ast.VacuumStmt) and stmt.is_vacuumcmd):
        return None
    full = any(option.defname == "full" and _enabled(option) for option in stmt.options or ())
    mode = "AccessExclusiveLock" if full else "ShareUpdateExclusiveLock"
    locks = tuple(DocumentedLock(name(rel.relation), mode) for rel in stmt.rels or ()) or \
        (DocumentedLock("every table of the database, in turn", mode, named=False),)
    command = "VACUUM FULL" if full else "VACUUM"
    return Untraceable(f"{command} cannot run inside a transaction block", locks, VACUUM_DOCS)


def _enabled(option) -> bool:
    """A boolean VACUUM option given bare, or set to anything but false, off or 0."""
    arg = option.arg
    if arg is None:
        return True
    value = getattr(arg, "sval", getattr(arg, "ival", getattr(arg, "boolval", True)))
    return str(value).lower() not in ("false", "off", "0", "no")


def concurrent_detach(stmt, _version) -> Untraceable | None:
    if not isinstance(stmt, ast.AlterTableStmt):
        return None
    for cmd in stmt.cmds or ():
        if (cmd.subtype == AlterTableType.AT_DetachPartition and cmd.def_ is not None
                and cmd.def_.concurrent):
            cmd.def_.concurrent = False
            return Untraceable(
                "DETACH PARTITION … CONCURRENTLY cannot run inside a transaction block",
                (DocumentedLock(name(stmt.relation), "ShareUpdateExclusiveLock"),
                 DocumentedLock(name(cmd.def_.name), "AccessExclusiveLock")),
                DETACH_DOCS, RawStream()(stmt))
    return None


def enum_value_on_old_servers(stmt, version) -> Untraceable | None:
    if not (isinstance(stmt, ast.AlterEnumStmt) and stmt.oldVal is None
            and version < ENUM_IN_TRANSACTION):
        return None
    return Untraceable("ALTER TYPE … ADD VALUE cannot run inside a transaction block before "
                       "PostgreSQL 12; it takes no lock on a table", (), ENUM_DOCS)


RULES = (concurrent_index, concurrent_drop_index, concurrent_reindex, whole_database_reindex,
         vacuum, concurrent_detach, enum_value_on_old_servers)


def refused(message: str) -> Untraceable:
    """A statement PostgreSQL itself refused to run in a transaction block (SQLSTATE 25001)
    that no rule above describes: not traced, no documented lock the trace can name."""
    return Untraceable(f"PostgreSQL refuses to run it in a transaction: {message}", (), LOCKING_DOCS)
