"""What one statement did, read from PostgreSQL before and after it, inside its transaction.

Three readings make a :class:`Snapshot`, taken in one query on the tracing connection:

- **locks**: ``pg_locks`` rows of the connection's own backend (``pid = pg_backend_pid()``),
  relation locks that are granted. Locks last until the transaction ends, so the rows that
  appear after a statement are the locks it acquired, new relations and stronger modes
  alike (a relation locked in a second mode gets a row of its own).
- **relations**: every relation outside the system schemas with its
  ``pg_relation_filenode()``. A relation whose file node changed was rewritten (given new
  storage); one that is new after the statement was created, not rewritten. Indexes
  PostgreSQL rebuilds under a new oid keep their name, so a name that is dropped and made
  again in one statement counts as rewritten too. ``reltuples`` and ``relpages`` are
  PostgreSQL's own estimates (as of the last VACUUM or ANALYZE), read without a lock.
- **scans**: ``pg_stat_xact_user_tables.seq_scan`` and ``idx_scan``. Every scan a backend
  starts (a validation's ``table_beginscan``, the foreign key check's query) adds to these
  counters in the backend's own pending statistics, which PostgreSQL flushes to the shared
  statistics only when the backend is idle outside a transaction. They may still hold counts
  of an earlier transaction not flushed yet, but they never move inside the trace's
  transaction except by its own statements: the difference around one statement is the
  number of scans that statement made. An ALTER TABLE that validates a CHECK, a NOT NULL or
  a foreign key reads the table (the foreign key's check also reads the referenced table);
  one that only changes the catalog reads nothing. A rewrite reads the table too (it is
  reported as a rewrite, not a validation), and so does an index build. The tests check
  this against the documentation for each statement kind, on PostgreSQL 15 and 18. With
  ``track_counts`` off the counters stay at zero and scans are reported as not measured.

The readings only take ACCESS SHARE locks on system catalogs and views, which are left out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

SNAPSHOT_SQL = """
SELECT
  (SELECT coalesce(json_agg(json_build_array(l.relation::bigint, l.mode)), '[]')
     FROM pg_locks l
    WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())),
  (SELECT coalesce(json_agg(json_build_array(c.oid::bigint, n.nspname, c.relname, c.relkind,
                                             pg_relation_filenode(c.oid), c.reltuples,
                                             c.relpages + coalesce(t.relpages, 0),
                                             x.indrelid::bigint)), '[]')
     FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
     LEFT JOIN pg_index x ON x.indexrelid = c.oid
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
      AND c.relkind IN ('r', 'p', 'i', 'I', 'S', 'm', 'v', 'f')),
  (SELECT coalesce(json_agg(json_build_array(s.relid::bigint, s.seq_scan, coalesce(s.idx_scan, 0))),
                   '[]')
     FROM pg_stat_xact_user_tables s),
  current_setting('block_size')::int,
  current_setting('track_counts')::bool
"""

KINDS = {"r": "table", "p": "table", "i": "index", "I": "index", "S": "sequence", "m": "view",
         "v": "view", "f": "table"}


@dataclass(frozen=True)
class Relation:
    """One relation as a snapshot saw it. ``pages`` counts its own and its TOAST table's
    blocks; ``table`` is the oid of an index's table."""

    oid: int
    schema: str
    name: str
    relkind: str
    filenode: int | None
    rows: float
    pages: int
    table: int | None

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def kind(self) -> str:
        """``table``, ``index``, ``sequence`` or ``view``."""
        return KINDS.get(self.relkind, "relation")


@dataclass(frozen=True)
class Snapshot:
    """Locks, relations and scan counters at one moment of the traced transaction."""

    locks: frozenset[tuple[int, str]]
    relations: dict[int, Relation]
    scans: dict[int, tuple[int, int]]
    block_size: int = 8192
    counting: bool = True

    @cached_property
    def named(self) -> dict[str, Relation]:
        """The relations by qualified name."""
        return {r.qualified: r for r in self.relations.values()}

    def total_bytes(self, oid: int) -> int:
        """A table's estimated size with its TOAST table and indexes (pages × block size)."""
        pages = self.relations[oid].pages + sum(r.pages for r in self.relations.values()
                                                if r.table == oid)
        return pages * self.block_size


def snapshot(conn) -> Snapshot:
    """Read locks, relations and scan counters of ``conn``'s open transaction."""
    locks, relations, scans, block_size, counting = conn.execute(SNAPSHOT_SQL).fetchone()
    return Snapshot(frozenset((oid, mode) for oid, mode in locks),
                    {row[0]: Relation(*row) for row in relations},
                    {oid: (seq, idx) for oid, seq, idx in scans}, block_size, counting)


@dataclass(frozen=True)
class Change:
    """What one statement did, by qualified relation name: ``locks`` acquired as
    ``(relation, mode)`` pairs, relations ``rewritten``, tables ``scanned`` (with their
    sequential and index scan counts), relations ``created`` and ``dropped``."""

    locks: tuple[tuple[str, str], ...]
    rewritten: tuple[str, ...]
    scanned: dict[str, tuple[int, int]]
    created: tuple[str, ...]
    dropped: tuple[str, ...]
    kinds: dict[str, str] = field(default_factory=dict)
    counting: bool = True


def change(before: Snapshot, after: Snapshot) -> Change:
    """The difference a statement made between ``before`` and ``after``."""
    named_before, named_after = before.named, after.named
    created = tuple(sorted(name for name, r in named_after.items()
                           if name not in named_before and r.oid not in before.relations))
    dropped = tuple(sorted(name for name, r in named_before.items()
                           if name not in named_after and r.oid not in after.relations))
    locks, renewed = locks_acquired(before, after), rewritten(before, after)
    mentioned = {name for name, _ in locks} | set(renewed) | set(created) | set(dropped)
    kinds = {name: (named_before.get(name) or named_after[name]).kind for name in mentioned}
    return Change(locks, renewed, scans_made(before, after, set(created)), created, dropped, kinds,
                  after.counting)


def name_of(oid: int, before: Snapshot, after: Snapshot) -> str | None:
    """A relation's name as it was before the statement (renames keep the old name), else
    as it is after (new relations); None for system relations and transient ones."""
    found = before.relations.get(oid) or after.relations.get(oid)
    return found.qualified if found else None


def locks_acquired(before: Snapshot, after: Snapshot) -> tuple[tuple[str, str], ...]:
    named = {(name_of(oid, before, after), mode) for oid, mode in after.locks - before.locks}
    return tuple(sorted(pair for pair in named if pair[0] is not None))


def rewritten(before: Snapshot, after: Snapshot) -> tuple[str, ...]:
    """Relations with new storage: the same oid with another file node, or a name dropped
    and made again under a new oid with another file node (an index rebuilt)."""
    found = {before.relations[oid].qualified for oid, now in after.relations.items()
             if oid in before.relations and now.filenode != before.relations[oid].filenode}
    named_before = before.named
    found |= {name for name, now in after.named.items()
              if name in named_before and named_before[name].oid != now.oid
              and now.oid not in before.relations and named_before[name].oid not in after.relations
              and named_before[name].filenode != now.filenode}
    return tuple(sorted(found))


def scans_made(before: Snapshot, after: Snapshot, created: set[str]) -> dict[str, tuple[int, int]]:
    """Tables the statement scanned: ``{name: (sequential scans, index scans)}``, by name (the
    statistics come in no fixed order)."""
    made = {}
    for oid, (seq, idx) in after.scans.items():
        seq0, idx0 = before.scans.get(oid, (0, 0))
        name = name_of(oid, before, after)
        if name and name not in created and (seq > seq0 or idx > idx0):
            made[name] = (seq - seq0, idx - idx0)
    return dict(sorted(made.items()))


def table_sizes(snap: Snapshot, names) -> dict[str, tuple[float, int]]:
    """Row estimate and size (with TOAST and indexes) of each named table in ``snap``."""
    named = snap.named
    return {name: (named[name].rows, snap.total_bytes(named[name].oid))
            for name in names if name in named and named[name].kind == "table"}
