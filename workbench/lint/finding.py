"""``Finding``: one advisor result about one object of a schema."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING


if TYPE_CHECKING:
    from ..drafts import Draft

LEVELS = ("error", "warn", "info")


@dataclass(frozen=True)
class Finding:
    """What a rule found: where (schema, table, column or named object), how bad, and a fix.

    ``name`` names a policy, index, function or constraint of the table when the finding is
    about one. ``remediation`` is a :class:`~workbench.drafts.Draft` when a fix can be written.
    """

    rule: str
    level: str
    message: str
    schema: str | None = None
    table: str | None = None
    column: str | None = None
    name: str | None = None
    kind: str = "table"
    categories: tuple[str, ...] = ()
    detail: str = ""
    remediation: Draft | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"level must be one of {LEVELS}, not {self.level!r}")

    @property
    def object(self) -> str:
        """The object as text: ``schema.table``, ``schema.table.column`` or ``schema.table name``."""
        parts = [p for p in (self.schema, self.table, self.column) if p]
        text = ".".join(parts)
        return f"{text} {self.name}" if self.name else text

    @property
    def table_key(self) -> tuple[str, str] | None:
        return (self.schema, self.table) if self.schema and self.table else None

    @property
    def key(self) -> str:
        """A stable key for ignoring this finding in configuration: ``rule:hash-of-object``."""
        ident = "\x00".join(p or "" for p in (self.schema, self.table, self.column, self.name))
        return f"{self.rule}:{hashlib.sha256(ident.encode()).hexdigest()[:10]}"
