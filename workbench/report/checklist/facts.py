"""The facts checklist items decide from: the schema before and after the change (the
head schema), and what the other stations reported. Questions about the change (new tables,
new foreign keys) are answered here once, for every item."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...catalog import ForeignKey, Schema, Table
from ..model import FindingEntry, VerifyEntry

TABLE_KINDS = ("table", "partitioned table")
COMMANDS = ("SELECT", "INSERT", "UPDATE", "DELETE")


@dataclass(frozen=True)
class Facts:
    """What is known about the change. ``simulated`` is False when the dry run could not
    run (then ``before`` and ``after`` are both the current schema, ``problem`` says why and
    ``dry_run_failed`` whether it was an error); ``verify``, ``probe_ok``, ``types_ok`` and
    ``introduced`` are None when that piece did not run, and its note says why. ``impact``
    holds each Draft's lock trace (a :class:`~workbench.impact.series.PartTrace`: a trace or
    its error), None when the change was not traced (``impact_note`` says why);
    ``lock_limit_ms`` is how long a lock that blocks reads or writes may be held."""

    before: Schema
    after: Schema
    simulated: bool
    problem: str = ""
    restores: bool | None = None
    tenant_columns: tuple[str, ...] = ()
    verify: VerifyEntry | None = None
    verify_note: str = ""
    probe_ok: bool | None = None
    probe_note: str = ""
    types_path: Path | None = None
    types_ok: bool | None = None
    types_detail: str = ""
    introduced: tuple[FindingEntry, ...] | None = None
    advisors_note: str = ""
    dry_run_failed: bool = False
    impact: tuple | None = None
    impact_note: str = ""
    lock_limit_ms: float = 1000.0

    def new_tables(self) -> tuple[Table, ...]:
        """Tables in the head schema that were not there before."""
        old = {t.key for t in self.before.objects.tables}
        return tuple(t for t in self.after.objects.tables
                     if t.kind in TABLE_KINDS and t.key not in old)

    def newly_protected(self) -> tuple[Table, ...]:
        """Existing tables this change puts under Row Level Security."""
        old = {t.key: t for t in self.before.objects.tables}
        return tuple(t for t in self.after.objects.tables
                     if t.key in old and t.rls_enabled and not old[t.key].rls_enabled)

    def is_tenant_table(self, table: Table) -> bool:
        """Whether ``table`` has one of the tenant columns."""
        return any(c.name in self.tenant_columns for c in table.columns)

    def new_foreign_keys(self) -> tuple[tuple[Table, ForeignKey], ...]:
        """Foreign keys in the head schema that were not there before, with their tables."""
        old = {(fk.schema, fk.table, fk.name) for fk in self.before.objects.foreign_keys}
        return tuple((t, fk) for t in self.after.objects.tables for fk in t.foreign_keys
                     if (fk.schema, fk.table, fk.name) not in old)


def missing_commands(table: Table) -> tuple[str, ...]:
    """The commands no permissive policy of ``table`` covers (``ALL`` covers every one)."""
    covered = {p.command for p in table.policies if p.permissive}
    if "ALL" in covered:
        return ()
    return tuple(c for c in COMMANDS if c not in covered)


def label(table: Table) -> str:
    return f"{table.schema}.{table.name}"
