"""How a migration's safer form (:class:`~.form.Safer`) is put together from what the rules
make of each statement (:mod:`.validation`, :mod:`.concurrent`, :mod:`.backfill`,
:mod:`.expand`).

Statements are read with pglast, in order. An ALTER TABLE is looked at command by command:
a rule may put steps before it, change the command in place, and put steps after it;
commands no rule knows stay as written. Statements and commands left in place run together
in one step, as they would have; every step a rule adds is a transaction of its own.
"""
from __future__ import annotations

from pglast import ast

from ..drafts.draft import Draft
from ..drafts.sqltext import check_sql
from .backfill import backfilled_default
from .concurrent import concurrent_index, unique_over_index
from .context import Context, taken_names
from .expand import expand_and_contract
from .form import Safer
from .report import first_line
from .reverse import command_down, statement_down
from .sqlforms import alter_statement
from .steps import Action, Alternative, Change, Kept, NotSafer, Step, nothing_to_undo, step
from .validation import not_null_through_check, validate_later

COMMAND_RULES = (validate_later, not_null_through_check, unique_over_index, backfilled_default,
                 expand_and_contract)
STATEMENT_RULES = (concurrent_index,)
NO_SAFER_FORM = "no safer form known; kept as written"
TRANSACTION_CONTROL = "transaction control: each step of the safer form is a transaction of its own"


def build(pieces, schema, title: str, source: str, keep=frozenset()) -> Safer:
    """The safer form of ``pieces`` (the migration's statements, numbered as the trace numbers
    them); statements numbered in ``keep`` stay as written."""
    assembly = Assembly()
    taken, created = taken_names(schema), set()
    for piece in pieces:
        (raw,) = check_sql(piece.sql)
        ctx = Context(piece.number, raw.stmt, schema, taken, created)
        if isinstance(raw.stmt, ast.TransactionStmt):
            assembly.kept.append(Kept(piece.number, first_line(piece.sql), TRANSACTION_CONTROL))
        elif piece.number in keep:
            assembly.keep(ctx, piece.sql, "the trace saw no rewrite: kept as written")
        elif isinstance(raw.stmt, ast.AlterTableStmt):
            assembly.alter_table(ctx, piece.sql)
        else:
            assembly.statement(ctx, piece.sql)
        created |= created_tables(raw.stmt)
    return assembly.safer(title, source)


def created_tables(stmt) -> set[tuple[str | None, str]]:
    if isinstance(stmt, ast.CreateStmt):
        return {(stmt.relation.schemaname, stmt.relation.relname)}
    if isinstance(stmt, ast.CreateTableAsStmt):
        return {(stmt.into.rel.schemaname, stmt.into.rel.relname)}
    return set()


def first_rule(rules, ctx, node) -> Change | NotSafer | None:
    """The first rule's answer for ``node`` (the first that recognises it)."""
    for rule in rules:
        found = rule(ctx, node)
        if found is not None:
            return found
    return None


def main_title(changes: list[Change], actions: int) -> str:
    """The title of the step holding what stays of a changed statement."""
    titles = [c.main_title for c in changes if c.main_title] or ["As written"]
    if actions > sum(len(c.actions) for c in changes):
        titles.append("the statement's other commands as written")
    return "; ".join(titles)


def undo(actions: list[Action]) -> tuple[str, ...] | None:
    """The statements undoing ``actions``, last first (None when one has no known down)."""
    downs = [a.down for a in reversed(actions)]
    return None if None in downs else tuple(statement for down in downs for statement in down)


class Assembly:
    """The steps as they are made: statements left in place gather in one pending step until
    a rule's own step comes."""

    def __init__(self):
        self.steps: list[Step] = []
        self.alternatives: list[Alternative] = []
        self.kept: list[Kept] = []
        self.pending: list[tuple[str, tuple[str, ...] | None, str]] = []
        self.later: list[Step] = []

    def statement(self, ctx, sql: str) -> None:
        found = first_rule(STATEMENT_RULES, ctx, ctx.stmt)
        if isinstance(found, Change):
            self.apply(found)
        else:
            self.keep(ctx, sql, found.reason if found else NO_SAFER_FORM)

    def alter_table(self, ctx, sql: str) -> None:
        changes, actions, reasons = [], [], []
        for cmd in ctx.stmt.cmds:
            found = first_rule(COMMAND_RULES, ctx, cmd)
            if isinstance(found, Change):
                changes.append(found)
                actions += found.actions
                continue
            actions.append(Action(cmd, command_down(cmd, ctx)))
            reasons += [found.reason] if found else []
        if not changes:
            self.keep(ctx, sql, "; ".join(reasons) or NO_SAFER_FORM)
            return
        self.add_steps(s for c in changes for s in c.before)
        title = main_title(changes, len(actions))
        if actions:
            self.pending.append((alter_statement(ctx.stmt, [a.cmd for a in actions]), undo(actions), title))
        self.pending += [(t.sql, t.down, title) for c in changes for t in c.trailing]
        self.add_steps(s for c in changes for s in c.after)
        self.later += [s for c in changes for s in c.later]
        self.alternatives += [c.alternative for c in changes]
        self.kept += [Kept(ctx.number, first_line(sql), reason) for reason in reasons]

    def apply(self, change: Change) -> None:
        """A statement a rule replaces by steps."""
        self.add_steps(change.before)
        self.add_steps(change.after)
        self.later += change.later
        self.alternatives.append(change.alternative)

    def keep(self, ctx, sql: str, reason: str) -> None:
        self.pending.append((sql.rstrip().rstrip(";") + ";", statement_down(ctx.stmt, ctx),
                             f"As written: {first_line(sql, 60)}"))
        self.kept.append(Kept(ctx.number, first_line(sql), reason))

    def add_steps(self, steps) -> None:
        for found in steps:
            self.flush()
            self.steps.append(found)

    def flush(self) -> None:
        """The pending statements as one step."""
        if not self.pending:
            return
        ups = [up for up, _, _ in self.pending]
        downs = [down for _, down, _ in reversed(self.pending)]
        titles = list(dict.fromkeys(title for _, _, title in self.pending))
        title = "; ".join(titles)
        if None in downs:
            self.steps.append(Step(Draft(title, "\n".join(ups), "",
                                         irreversible="no down SQL is known for a statement kept "
                                                      "as written: write it by hand")))
        else:
            lines = [sql for d in downs for sql in d]
            self.steps.append(step(title, ups, lines or nothing_to_undo("it changes no schema")))
        self.pending = []

    def safer(self, title: str, source: str) -> Safer:
        self.flush()
        if not self.alternatives:
            return Safer(source, title, kept=tuple(self.kept))
        batches = {index: s.batch for index, s in enumerate(self.steps) if s.batch}
        return Safer(source, title, tuple(s.draft for s in self.steps), tuple(self.alternatives),
                     tuple(self.kept), batches, tuple(s.draft for s in self.later))
