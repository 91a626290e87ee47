"""``RuleContext``: what a rule's check receives, and the helper that makes its findings."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..catalog import Schema, Table
from .config import LintConfig
from .finding import Finding
from .scope import Scope

if TYPE_CHECKING:
    import psycopg

    from ..drafts import Draft
    from .registry import Rule


@dataclass(frozen=True)
class RuleContext:
    """The snapshot, the configuration, the shared facts (``scope``), and the live
    connection (``conn``, None unless the rule reads statistics and one was given)."""

    schema: Schema
    config: LintConfig
    scope: Scope
    rule: Rule
    conn: psycopg.Connection | None = None

    @property
    def tables(self) -> tuple[Table, ...]:
        """The base tables in scope (partitioned parents and inheritance children included,
        partitions not)."""
        return self.scope.tables

    @property
    def all_tables(self) -> tuple[Table, ...]:
        """The base tables in scope and their partitions."""
        return self.scope.all_tables

    def finding(self, message: str, *, table: Table | None = None, schema: str | None = None,
                column: str | None = None, name: str | None = None, kind: str | None = None,
                detail: str = "", remediation: Draft | None = None) -> Finding:
        """A finding of this rule, at its default level, about ``table`` (or ``schema``)."""
        return Finding(
            rule=self.rule.id, level=self.rule.level, message=message,
            schema=table.schema if table is not None else schema,
            table=table.name if table is not None else None, column=column, name=name,
            kind=kind or ("column" if column else "table" if table is not None else "schema"),
            categories=self.rule.categories, detail=detail, remediation=remediation)
