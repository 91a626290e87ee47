"""What a diff produces: ordered statements for each direction, and what a reviewer must know.

A :class:`Statement` is one SQL statement with its place in the order (``phase``), what it
acts on, and whether it may lose data. A :class:`Migration` holds the up and down statements,
the notes, the destructive statements of ``up`` and the open questions (possible renames).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import WorkbenchError

# Each transaction of a migration: fail fast rather than queue behind a long lock, create
# functions before what their bodies read (as pg_dump does), and read names as the snapshot
# printed them (every object outside public is schema-qualified).
HEADER = ("SET LOCAL lock_timeout = '5s';", "SET LOCAL check_function_bodies = off;",
          "SET LOCAL search_path = public;")


class DiffError(WorkbenchError):
    """A desired schema that cannot be reached as asked (destructive without permission…);
    ``questions`` holds the possible renames that would avoid the data loss."""

    questions: tuple = ()


@dataclass(frozen=True)
class Statement:
    """One statement of a migration. ``phase`` orders it (see :mod:`.phases`); ``target``
    names the object; ``destructive`` says what data it may lose (empty: none);
    ``transactional`` is False for ``CONCURRENTLY`` forms."""

    sql: str
    phase: int
    target: str
    destructive: str = ""
    transactional: bool = True
    order: int = 0

    def __str__(self) -> str:
        return self.sql


@dataclass(frozen=True)
class Question:
    """A choice the diff cannot make alone, e.g. ``rename or drop and add?``."""

    kind: str
    removed: str
    added: str
    rename_key: str
    rename_value: str

    @property
    def text(self) -> str:
        return (f"{self.kind} {self.removed} was removed and {self.added} added with the same "
                f"shape: rename or drop and add? (to rename: renames={{{self.rename_key!r}: "
                f"{self.rename_value!r}}}, or --rename {self.rename_key}={self.rename_value})")


@dataclass(frozen=True)
class Migration:
    """Up and down statements from one schema to another, in the order they run."""

    up: tuple[Statement, ...] = ()
    down: tuple[Statement, ...] = ()
    notes: tuple[str, ...] = ()
    questions: tuple[Question, ...] = ()
    before: object = field(default=None, repr=False, compare=False)
    after: object = field(default=None, repr=False, compare=False)

    def __bool__(self) -> bool:
        return bool(self.up)

    @property
    def destructive(self) -> tuple[Statement, ...]:
        """The up statements that may lose data."""
        return tuple(s for s in self.up if s.destructive)

    @property
    def up_sql(self) -> str:
        """The up statements as one SQL text, ``lock_timeout`` set at the top."""
        return script(self.up)

    @property
    def down_sql(self) -> str:
        """The down statements as one SQL text."""
        return script(self.down)

    def psql_script(self, direction: str = "up") -> str:
        """The statements of ``direction`` as a ``psql -f`` script: each transactional run in
        ``BEGIN``/``COMMIT``, ``CONCURRENTLY`` statements between them."""
        return script(self.up if direction == "up" else self.down, psql=True)

    def verify(self, target=None, *, base=None):
        """Prove the migration on a throwaway database: build *before* (or ``base``, the whole
        database, when the snapshots cover only some schemas), apply up and compare with
        *after*, apply down and compare with *before* (see :func:`.proof.verify`)."""
        from .proof import verify

        return verify(self, target, base=base)

    def draft(self, title: str, *, rationale: str = ""):
        """This migration as a :class:`~workbench.drafts.Draft` (unverified; see
        :meth:`Draft.from_diff` for one that carries its proof)."""
        from ..drafts import Draft

        return Draft(title=title, up=self.up_sql or "SELECT 1;", down=self.down_sql or "SELECT 1;",
                     rationale=rationale, notes=tuple(self.notes))

    def summary_text(self) -> str:
        """The up SQL, then notes, destructive statements and questions."""
        lines = [self.up_sql or "-- no changes"]
        lines += [f"-- note: {n}" for n in self.notes]
        lines += [f"-- destructive: {s.destructive}: {s.sql.splitlines()[0]}" for s in self.destructive]
        lines += [f"-- question: {q.text}" for q in self.questions]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """Plain data for JSON output."""
        return {"up": [s.sql for s in self.up], "down": [s.sql for s in self.down],
                "notes": list(self.notes),
                "destructive": [{"sql": s.sql, "why": s.destructive} for s in self.destructive],
                "questions": [q.text for q in self.questions]}

    def __repr__(self) -> str:
        return (f"<Migration {len(self.up)} up, {len(self.down)} down statements, "
                f"{len(self.destructive)} destructive, {len(self.questions)} questions>")

    def _repr_markdown_(self) -> str:
        parts = [f"**Migration**: {len(self.up)} up, {len(self.down)} down statements",
                 f"up:\n```sql\n{self.up_sql or '-- no changes'}\n```",
                 f"down:\n```sql\n{self.down_sql or '-- no changes'}\n```"]
        parts += [f"- note: {n}" for n in self.notes]
        parts += [f"- **destructive**: {s.destructive}" for s in self.destructive]
        parts += [f"- **question**: {q.text}" for q in self.questions]
        return "\n\n".join(parts)


def script(statements, *, psql: bool = False) -> str:
    """Statements joined as a script, or ``""`` when there are none. Each run of statements
    that can share a transaction starts with the header (``lock_timeout``…); with ``psql``
    each such run is wrapped in ``BEGIN``/``COMMIT``, ready for ``psql -f``."""
    lines: list[str] = []
    for transactional, run in runs(statements):
        if transactional:
            lines += (["BEGIN;"] if psql else []) + list(HEADER) + [s.sql for s in run] + \
                (["COMMIT;"] if psql else [])
        else:
            lines += [s.sql for s in run]
    return "\n".join(lines) + "\n" if lines else ""


def runs(statements) -> list[tuple[bool, list]]:
    """Consecutive statements grouped by whether they can run in a transaction."""
    grouped: list[tuple[bool, list]] = []
    for statement in statements:
        if grouped and grouped[-1][0] == statement.transactional:
            grouped[-1][1].append(statement)
        else:
            grouped.append((statement.transactional, [statement]))
    return grouped
