"""What a diagram highlights: problems read from the snapshot, and any findings a caller passes.

The diagram's own checks produce :class:`~workbench.lint.finding.Finding` objects like any
advisor (with the rule ids the advisors use), so a table or column is highlighted the same
way whoever found the problem, and a problem found by both is shown once.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from ..catalog import Table
from ..lint.finding import LEVELS, Finding
from .relations import Key, Relationship, foreign_key_relationships

RULES = {
    "unindexed_foreign_key": "a foreign key with no index whose leading columns are its columns",
    "no_primary_key": "a table without a primary key",
    "rls_disabled": "Row Level Security off on a table in a schema whose other tables use it",
    "rls_enabled_no_policy": "Row Level Security on, but no policy: only the owner sees rows",
}


@dataclass
class Marks:
    """Findings sorted by where they show: on a table, or on one of its columns."""

    tables: dict[Key, list[Finding]] = field(default_factory=lambda: defaultdict(list))
    columns: dict[tuple[Key, str], list[Finding]] = field(default_factory=lambda: defaultdict(list))
    elsewhere: int = 0

    def add(self, finding: Finding, drawn: set[Key]) -> None:
        key = finding.table_key
        if key not in drawn:
            self.elsewhere += 1
        elif finding.column:
            self.columns[(key, finding.column)].append(finding)
        else:
            self.tables[key].append(finding)

    def of_table(self, key: Key) -> list[Finding]:
        """Every finding about the table, its own and its columns'."""
        own = list(self.tables.get(key, ()))
        columns = sorted(item for item in self.columns.items() if item[0][0] == key)
        return own + [finding for _, found in columns for finding in found]

    def level(self, key: Key) -> str | None:
        """The worst level among the table's findings."""
        return worst(self.of_table(key))

    def column_level(self, key: Key, column: str) -> str | None:
        return worst(self.columns.get((key, column), ()))


def worst(findings: Iterable[Finding]) -> str | None:
    """``"error"`` before ``"warn"`` before ``"info"``; None without findings."""
    levels = {f.level for f in findings}
    return next((level for level in LEVELS if level in levels), None)


def marks_for(schema, tables: tuple[Table, ...], findings: Iterable[Finding],
              builtin: bool) -> Marks:
    """The marks of a diagram: the built-in checks (when ``builtin``) and the caller's findings."""
    drawn = {t.key for t in tables}
    marks = Marks()
    findings = list(findings)
    given = {same(f) for f in findings}
    found = [f for f in builtin_findings(schema, tables) if same(f) not in given] if builtin else []
    for finding in sorted(found + findings, key=order):
        marks.add(finding, drawn)
    return marks


def same(finding: Finding) -> tuple:
    """What makes two findings the same problem: rule and object."""
    return (finding.rule, finding.schema, finding.table, finding.column)


def order(finding: Finding) -> tuple:
    return (finding.schema or "", finding.table or "", finding.column or "", finding.rule,
            finding.name or "", finding.message)


def builtin_findings(schema, tables: Iterable[Table]):
    """Findings the snapshot shows on its own: unindexed keys, missing keys, RLS gaps."""
    tables = list(tables)
    using_rls = schemas_using_rls(schema)
    for table in tables:
        if table.kind not in ("table", "partitioned"):
            continue
        if table.primary_key is None:
            yield finding("no_primary_key", "warn", table, "no primary key: rows cannot be "
                          "addressed reliably, and logical replication of updates needs one")
        yield from rls_findings(table, using_rls)
    for rel in foreign_key_relationships(tables):
        if not rel.indexed:
            yield unindexed(rel)


def rls_findings(table: Table, using_rls: set[str]):
    if table.rls_enabled and not table.policies:
        yield finding("rls_enabled_no_policy", "warn", table, "Row Level Security is on but "
                      "there is no policy: nobody but the owner sees rows")
    elif not table.rls_enabled and table.schema in using_rls:
        yield finding("rls_disabled", "error", table,
                      f"Row Level Security is off, while other tables of {table.schema} use it")


def unindexed(rel: Relationship) -> Finding:
    return Finding(rule="unindexed_foreign_key", level="warn", schema=rel.child[0],
                   table=rel.child[1], column=rel.columns[0], name=rel.name, kind="column",
                   message=f"foreign key {rel.name} ({', '.join(rel.columns)}) has no index: "
                   "deletes in the parent table and joins from it scan this table")


def finding(rule: str, level: str, table: Table, message: str) -> Finding:
    return Finding(rule=rule, level=level, message=message, schema=table.schema, table=table.name)


def schemas_using_rls(schema) -> set[str]:
    """Schemas where at least one table has Row Level Security enabled."""
    return {t.schema for t in schema.objects.tables if t.rls_enabled}
