"""What a safer form is made of, as data: the steps (each a Draft run in a transaction of its
own), the commands that stay in the statement with the SQL undoing them, and the reasons."""
from __future__ import annotations

from dataclasses import dataclass

from pglast import ast

from ..drafts.draft import Draft
from ..drafts.reparse import reparse
from .sqlforms import NOTHING_TO_UNDO


@dataclass(frozen=True)
class Batch:
    """A step that runs one batch of a backfill: ``rows`` rows of ``table`` (as written) per
    run, repeated, each run its own transaction, until it updates no row. ``rest`` fills
    every row left at once: a trace runs it after the batch, so that later steps see every
    row filled and the time counts the whole backfill."""

    table: str
    rows: int
    rest: str


@dataclass(frozen=True)
class Step:
    """One step of a safer form: a Draft run in a transaction of its own (``batch``: one
    batch of a backfill, repeated)."""

    draft: Draft
    batch: Batch | None = None


@dataclass(frozen=True)
class Action:
    """One command of an ALTER TABLE as the safer form runs it, in the statement's place, and
    the statements undoing it (``()``: nothing to undo; None: no down is known)."""

    cmd: ast.AlterTableCmd
    down: tuple[str, ...] | None


@dataclass(frozen=True)
class Trailing:
    """A statement run right after the statement a rule changed, in the same step (a command
    that must not share the ALTER TABLE: PostgreSQL runs a statement's commands in passes,
    drops first), with the statements undoing it."""

    sql: str
    down: tuple[str, ...]


@dataclass(frozen=True)
class Alternative:
    """Why one risky statement (number ``statement``) is done another way: the ``pattern``
    recognised, the risky SQL as written, the ``rationale`` and what the application must do
    ``meanwhile``. ``needs_rewrite``: worth it only when the statement really rewrites (a
    trace that sees no rewrite keeps the statement as written)."""

    statement: int
    pattern: str
    risky: str
    rationale: str
    meanwhile: str = ""
    needs_rewrite: bool = False

    def to_dict(self) -> dict:
        return {"statement": self.statement, "pattern": self.pattern, "risky": self.risky,
                "rationale": self.rationale, "meanwhile": self.meanwhile}


@dataclass(frozen=True)
class Change:
    """What a rule makes of one command (or statement): ``before`` steps, the ``actions`` left
    in the statement's place (``main_title`` names them) and the ``trailing`` statements run
    after it in the same step, ``after`` steps; ``later`` steps belong to a later release
    (they are not part of the safer form run now, nor of its trace)."""

    alternative: Alternative
    before: tuple[Step, ...] = ()
    actions: tuple[Action, ...] = ()
    after: tuple[Step, ...] = ()
    main_title: str = ""
    trailing: tuple[Trailing, ...] = ()
    later: tuple[Step, ...] = ()


@dataclass(frozen=True)
class Kept:
    """A statement the safer form runs as written, and why."""

    statement: int
    sql: str
    reason: str

    def text(self) -> str:
        return f"statement {self.statement} ({self.sql}): {self.reason}"


def step(title: str, up: str | list[str], down: str | list[str], *, rationale: str = "",
         notes=(), batch: Batch | None = None) -> Step:
    """A Step whose Draft is re-parsed (parse → print → parse) before it is returned."""
    up_sql = up if isinstance(up, str) else "\n".join(up)
    down_sql = down if isinstance(down, str) else "\n".join(down)
    return Step(reparse(Draft(title, up_sql, down_sql, rationale=rationale, notes=tuple(notes))), batch)


def nothing_to_undo(why: str) -> str:
    """A down that runs nothing, saying why (the step changes no schema)."""
    return NOTHING_TO_UNDO.format(why=why)


@dataclass(frozen=True)
class NotSafer:
    """A rule's answer when it knows the pattern but drafts no safer form, and why."""

    reason: str
