"""What-if costing: how would the planner plan a query if this index existed?

Two ways, behind one :class:`WhatIf` object:

- **HypoPG** (when the extension is installed or can be created): hypothetical btree indexes
  the planner sees, built instantly in this backend's memory. HypoPG has no statistics for
  expression keys and estimates sizes generously, so those results are flagged; its sizes
  are corrected for deduplication (:mod:`.dedup`).
- **A real index in a rolled-back transaction** otherwise: ``CREATE INDEX`` inside a
  savepoint, EXPLAIN, roll back. Building blocks writes to the table meanwhile, so every trial
  is kept short and ``lock_timeout`` is set low. Also with HypoPG for GIN, which it refuses,
  and for partial indexes: HypoPG (1.3) ignores a hypothetical index's predicate on any table
  but the first of the query's FROM list, so the planner never uses it there (a partial index
  on the table an ``EXISTS`` or a join reaches looks useless), and its issue #116 reports a
  backend crash with a partial hypothetical index on a table queried through a view.

Everything happens inside one transaction that is always rolled back: extensions created
for the purpose (hypopg, pg_trgm) vanish with it, and the database is left as it was.
"""
from __future__ import annotations

import itertools
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator, Sequence

import psycopg
from psycopg import sql

from ..errors import WorkbenchError
from ..plans import Plan, explain
from ..session import connection_of
from .dedup import deduplicated_size
from .model import Candidate
from .stats import extensions
from .viewers import viewing

METHODS = ("auto", "hypopg", "real")


@dataclass(frozen=True)
class Hypothetical:
    """A candidate as the planner sees it during a trial: its index name in plans and its size."""

    candidate: Candidate
    name: str | None
    size_bytes: int | None
    method: str
    error: str | None = None
    oid: int | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class WhatIf:
    """A what-if session on one connection: use as a context manager, then :meth:`trial`."""

    def __init__(self, target, method: str = "auto", *, lock_timeout: str = "2s", viewer=None):
        if method not in METHODS:
            raise WorkbenchError(f"unknown what-if method {method!r}", hint=f"use one of {', '.join(METHODS)}")
        self.conn = connection_of(target)
        self.available = extensions(self.conn, ("hypopg", "pg_trgm"))
        self.method = resolve_method(method, self.available)
        self.lock_timeout = lock_timeout
        self.viewer = viewer
        self._transaction = None
        self._names = itertools.count(1)

    @property
    def trigram(self) -> bool:
        """Whether pg_trgm is installed or can be created (for trigram GIN candidates)."""
        return "pg_trgm" in self.available

    def __enter__(self) -> WhatIf:
        self._transaction = self.conn.transaction(force_rollback=True)
        self._transaction.__enter__()
        self.conn.execute("SELECT set_config('lock_timeout', %s, true)", [self.lock_timeout])
        if self.method == "hypopg" and not self.available["hypopg"]:
            self.conn.execute("CREATE EXTENSION IF NOT EXISTS hypopg")
        return self

    def __exit__(self, *exc) -> None:
        transaction, self._transaction = self._transaction, None
        transaction.__exit__(*exc)

    @contextmanager
    def trial(self, candidates: Sequence[Candidate], *, real: bool = False) -> Iterator[dict]:
        """Make ``candidates`` visible to the planner until the block ends; yields
        {candidate: Hypothetical}. ``real=True`` builds real indexes even with HypoPG.
        Trials nest: an inner trial sees the outer trial's indexes too."""
        if self._transaction is None:
            raise WorkbenchError("WhatIf.trial() needs an open what-if session",
                                 hint="use it inside `with WhatIf(session) as whatif:`")
        made: dict[Candidate, Hypothetical] = {}
        with self.conn.transaction(force_rollback=True):
            try:
                for candidate in candidates:
                    made[candidate] = self.create(candidate, real)
                yield made
            finally:
                self.drop_hypothetical(made.values())

    @contextmanager
    def without(self, made: Sequence[Hypothetical]) -> Iterator[None]:
        """Hide the real indexes ``made`` by an enclosing trial until the block ends: they are
        dropped in a savepoint that is rolled back. (HypoPG's indexes are not transactional,
        so they cannot be hidden this way.)"""
        hidden = [h for h in made if h.ok]
        if any(h.method != "real" for h in hidden):
            raise WorkbenchError("WhatIf.without() hides real indexes only",
                                 hint="build the indexes to hide with trial(..., real=True)")
        with dropped_for_a_while(self.conn, [sql.Identifier(h.candidate.schema, h.name) for h in hidden]):
            yield

    def create(self, candidate: Candidate, real: bool = False) -> Hypothetical:
        """Make one candidate visible; failures (bad expression, lock timeout) are recorded, not raised."""
        use_hypopg = self.method == "hypopg" and candidate.method == "btree" and not candidate.predicate and not real
        try:
            with self.conn.transaction():
                if use_hypopg:
                    return self.create_hypothetical(candidate)
                return self.create_real(candidate)
        except psycopg.Error as exc:
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            return Hypothetical(candidate, None, None, "hypopg" if use_hypopg else "real", error=message)

    def create_hypothetical(self, candidate: Candidate) -> Hypothetical:
        oid, name = self.conn.execute("SELECT indexrelid, indexname FROM hypopg_create_index(%s)",
                                      [candidate.create_sql()]).fetchone()
        size = self.conn.execute("SELECT hypopg_relation_size(%s)", [oid]).fetchone()[0]
        return Hypothetical(candidate, name, deduplicated_size(self.conn, candidate, int(size)), "hypopg",
                            oid=int(oid))

    def create_real(self, candidate: Candidate) -> Hypothetical:
        if candidate.extension:
            self.conn.execute(sql.SQL("CREATE EXTENSION IF NOT EXISTS {}").format(
                sql.Identifier(candidate.extension)))
        name = f"workbench_whatif_{next(self._names)}"
        self.conn.execute(candidate.create_sql(name))
        if candidate.expression:
            self.conn.execute(f"ANALYZE {candidate.qualname}")
        size = self.conn.execute("SELECT pg_relation_size(format('%%I.%%I', %s::text, %s::text)::regclass)",
                                 [candidate.schema, name]).fetchone()[0]
        return Hypothetical(candidate, name, int(size), "real")

    def drop_hypothetical(self, made) -> None:
        """Drop this trial's HypoPG indexes (only them: trials may be nested)."""
        for hypothetical in made:
            if hypothetical.method == "hypopg" and hypothetical.ok:
                self.conn.execute("SELECT hypopg_drop_index(%s)", [hypothetical.oid])

    def plan(self, query, params: Sequence | None = None) -> Plan:
        """The estimated plan of ``query`` (a Query or SQL) with the indexes of the current
        trial, as the session's ``viewer`` (a role and claims, see :mod:`.viewers`) if set."""
        text = getattr(query, "sql", query)
        values = params if params is not None else getattr(query, "params", None)
        with viewing(self.conn, self.viewer):
            return explain(self.conn, text, params=values)


@contextmanager
def dropped_for_a_while(conn, indexes: Sequence[sql.Composable]) -> Iterator[None]:
    """The ``indexes`` (qualified names) dropped until the block ends, in a savepoint that is
    rolled back: the planner does not see them meanwhile."""
    with conn.transaction(force_rollback=True):
        for index in indexes:
            conn.execute(sql.SQL("DROP INDEX {}").format(index))
        yield


def resolve_method(method: str, available: dict[str, bool]) -> str:
    """``auto`` picks HypoPG when the server has it, else real indexes in a rolled-back transaction."""
    if method == "auto":
        return "hypopg" if "hypopg" in available else "real"
    if method == "hypopg" and "hypopg" not in available:
        raise WorkbenchError("HypoPG is not available on this server",
                             hint="install it (Debian: apt-get install postgresql-15-hypopg) "
                                  "or use method='real' (indexes built in a rolled-back transaction)")
    return method
