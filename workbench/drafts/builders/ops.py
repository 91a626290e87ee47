"""Operations: one schema change each, as plain data that knows its reverse.

An op holds what the change needs and nothing else; :mod:`.render` turns it into SQL.
``up_sql()`` is the op's SQL, ``reverse()`` the op that undoes it (None when there is
nothing to undo, such as a VALIDATE), ``down_sql()`` the SQL of the reverse.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..draft import DraftError
from . import sqlparts

PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")


class Op:
    """Base of every operation."""

    def up_sql(self) -> str:
        from .render import render

        return render(self)

    def reverse(self) -> Op | None:
        raise DraftError(f"{type(self).__name__} cannot be reversed without more facts")

    def down_sql(self) -> str:
        undo = self.reverse()
        return "" if undo is None else undo.up_sql()


@dataclass(frozen=True)
class Reference:
    """What a foreign key points at, and its ``ON DELETE`` action."""

    schema: str
    table: str
    columns: tuple[str, ...] = ("id",)
    on_delete: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", sqlparts.names(self.columns))
        object.__setattr__(self, "on_delete", sqlparts.on_delete(self.on_delete))


@dataclass(frozen=True)
class ColumnDef:
    """A column: its name, SQL type and options. ``identity`` is ``by default`` or ``always``."""

    name: str
    type: str
    not_null: bool = False
    default: str | None = None
    identity: str | None = None
    primary_key: bool = False
    references: Reference | None = None

    def __post_init__(self) -> None:
        sqlparts.names(self.name)
        object.__setattr__(self, "type", sqlparts.sql_type(self.type))
        if self.default is not None:
            object.__setattr__(self, "default", sqlparts.expression(self.default, "default"))
        if self.identity not in (None, "by default", "always"):
            raise DraftError(f"identity must be 'by default' or 'always', not {self.identity!r}")

    def nullable(self) -> ColumnDef:
        """This column without NOT NULL (and without a default)."""
        return ColumnDef(self.name, self.type, references=self.references)


@dataclass(frozen=True)
class CreateTable(Op):
    schema: str
    name: str
    columns: tuple[ColumnDef, ...]
    comment: str | None = None

    def reverse(self) -> Op:
        return DropTable(self.schema, self.name, self)


@dataclass(frozen=True)
class DropTable(Op):
    schema: str
    name: str
    restore: CreateTable | None = None

    def reverse(self) -> Op:
        if self.restore is None:
            return super().reverse()
        return self.restore


@dataclass(frozen=True)
class RenameTable(Op):
    schema: str
    old: str
    new: str

    def reverse(self) -> Op:
        return RenameTable(self.schema, self.new, self.old)


@dataclass(frozen=True)
class AddColumn(Op):
    schema: str
    table: str
    column: ColumnDef

    def reverse(self) -> Op:
        return DropColumn(self.schema, self.table, self.column)


@dataclass(frozen=True)
class DropColumn(Op):
    schema: str
    table: str
    column: ColumnDef

    def reverse(self) -> Op:
        return AddColumn(self.schema, self.table, self.column)


@dataclass(frozen=True)
class RenameColumn(Op):
    schema: str
    table: str
    old: str
    new: str

    def reverse(self) -> Op:
        return RenameColumn(self.schema, self.table, self.new, self.old)


@dataclass(frozen=True)
class AlterColumnType(Op):
    schema: str
    table: str
    column: str
    type: str
    old_type: str
    using: str | None = None

    def __post_init__(self) -> None:
        sqlparts.sql_type(self.type)
        sqlparts.sql_type(self.old_type)
        if self.using is not None:
            sqlparts.expression(self.using, "USING expression")

    def reverse(self) -> Op:
        cast = f"{sqlparts.quote_ident(self.column)}::{self.old_type}"
        return AlterColumnType(self.schema, self.table, self.column, self.old_type, self.type, cast)


@dataclass(frozen=True)
class SetNotNull(Op):
    schema: str
    table: str
    column: str
    not_null: bool = True

    def reverse(self) -> Op:
        return SetNotNull(self.schema, self.table, self.column, not self.not_null)


@dataclass(frozen=True)
class SetDefault(Op):
    schema: str
    table: str
    column: str
    default: str | None
    old_default: str | None = None

    def __post_init__(self) -> None:
        for value in (self.default, self.old_default):
            if value is not None:
                sqlparts.expression(value, "default")

    def reverse(self) -> Op:
        return SetDefault(self.schema, self.table, self.column, self.old_default, self.default)


@dataclass(frozen=True)
class Backfill(Op):
    """``UPDATE … SET column = expression WHERE column IS NULL`` (nothing to undo)."""

    schema: str
    table: str
    column: str
    value: str

    def __post_init__(self) -> None:
        sqlparts.expression(self.value, "backfill value")

    def reverse(self) -> None:
        return None


@dataclass(frozen=True)
class AddCheck(Op):
    schema: str
    table: str
    name: str
    condition: str
    not_valid: bool = False

    def __post_init__(self) -> None:
        sqlparts.expression(self.condition, "check condition")

    def reverse(self) -> Op:
        return DropConstraint(self.schema, self.table, self.name, self)


@dataclass(frozen=True)
class AddForeignKey(Op):
    schema: str
    table: str
    name: str
    columns: tuple[str, ...]
    references: Reference
    not_valid: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", sqlparts.names(self.columns))

    def reverse(self) -> Op:
        return DropConstraint(self.schema, self.table, self.name, self)


@dataclass(frozen=True)
class AddUnique(Op):
    """A unique constraint over an existing unique index (built CONCURRENTLY before)."""

    schema: str
    table: str
    name: str
    index: str

    def reverse(self) -> Op:
        return DropConstraint(self.schema, self.table, self.name, self)


@dataclass(frozen=True)
class ValidateConstraint(Op):
    schema: str
    table: str
    name: str

    def reverse(self) -> None:
        return None


@dataclass(frozen=True)
class DropConstraint(Op):
    schema: str
    table: str
    name: str
    restore: Op | None = None

    def reverse(self) -> Op:
        return self.restore if self.restore is not None else super().reverse()


@dataclass(frozen=True)
class IndexKey:
    """A key of an index that is more than a column: its SQL (an expression, an operator
    class, ``DESC``) and the ``label`` it adds to the index's name."""

    sql: str
    label: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "sql", sqlparts.index_element(self.sql))


@dataclass(frozen=True)
class CreateIndex(Op):
    """An index; each of ``keys`` is a column name or an :class:`IndexKey`."""

    schema: str
    table: str
    name: str
    keys: tuple[str | IndexKey, ...]
    unique: bool = False
    method: str | None = None
    where: str | None = None
    include: tuple[str, ...] = ()
    concurrently: bool = True

    def __post_init__(self) -> None:
        keys = (self.keys,) if isinstance(self.keys, (str, IndexKey)) else tuple(self.keys)
        if not keys or not all(isinstance(k, IndexKey) or (isinstance(k, str) and k) for k in keys):
            raise DraftError(f"an index needs one or more keys (column names or IndexKey), "
                             f"got {self.keys!r}")
        object.__setattr__(self, "keys", keys)
        object.__setattr__(self, "include", tuple(self.include))
        if self.where is not None:
            sqlparts.expression(self.where, "index predicate")

    @property
    def labels(self) -> tuple[str, ...]:
        """What each key adds to the index's name: the column, or the key's label."""
        return tuple(k.label if isinstance(k, IndexKey) else k for k in self.keys)

    def reverse(self) -> Op:
        return DropIndex(self.schema, self.name, self.concurrently, self)


@dataclass(frozen=True)
class DropIndex(Op):
    schema: str
    name: str
    concurrently: bool = True
    restore: CreateIndex | None = None

    def reverse(self) -> Op:
        return self.restore if self.restore is not None else super().reverse()


@dataclass(frozen=True)
class CreateExtension(Op):
    """``CREATE EXTENSION IF NOT EXISTS``; nothing to undo: it may have been there, and
    other objects may come to use it."""

    name: str

    def reverse(self) -> None:
        return None


@dataclass(frozen=True)
class SetRowSecurity(Op):
    """``ENABLE`` (``enabled=True``) or ``DISABLE ROW LEVEL SECURITY``."""

    schema: str
    table: str
    enabled: bool = True

    def reverse(self) -> Op:
        return SetRowSecurity(self.schema, self.table, not self.enabled)


@dataclass(frozen=True)
class CreatePolicy(Op):
    schema: str
    table: str
    name: str
    command: str = "ALL"
    roles: tuple[str, ...] = ("public",)
    using: str | None = None
    with_check: str | None = None
    permissive: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "command", sqlparts.command(self.command))
        object.__setattr__(self, "roles", sqlparts.names(self.roles))
        for what in ("using", "with_check"):
            if getattr(self, what) is not None:
                object.__setattr__(self, what, sqlparts.expression(getattr(self, what), what))

    def reverse(self) -> Op:
        return DropPolicy(self)


@dataclass(frozen=True)
class DropPolicy(Op):
    policy: CreatePolicy

    def reverse(self) -> Op:
        return self.policy


@dataclass(frozen=True)
class AlterPolicy(Op):
    """New ``USING`` / ``WITH CHECK`` expressions (None: left as they are)."""

    schema: str
    table: str
    name: str
    using: str | None
    with_check: str | None
    old_using: str | None = None
    old_with_check: str | None = None

    def reverse(self) -> Op:
        return AlterPolicy(self.schema, self.table, self.name,
                           self.old_using if self.using is not None else None,
                           self.old_with_check if self.with_check is not None else None,
                           self.using, self.with_check)


@dataclass(frozen=True)
class CreateFunction(Op):
    """A function with a pinned ``search_path``; ``execute_roles`` replace PUBLIC's EXECUTE."""

    schema: str
    name: str
    returns: str
    language: str
    body: str
    volatility: str = "VOLATILE"
    security_definer: bool = False
    search_path: str = ""
    execute_roles: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        returns = self.returns.split(None, 1)
        sqlparts.sql_type(returns[1] if returns[0].upper() == "SETOF" and len(returns) > 1
                          else self.returns)
        if self.volatility not in ("VOLATILE", "STABLE", "IMMUTABLE"):
            raise DraftError(f"unknown volatility {self.volatility!r}")
        sqlparts.names(self.language)

    def reverse(self) -> Op:
        return DropFunction(self)


@dataclass(frozen=True)
class DropFunction(Op):
    function: CreateFunction

    def reverse(self) -> Op:
        return self.function


@dataclass(frozen=True)
class CreateTrigger(Op):
    schema: str
    table: str
    name: str
    function_schema: str
    function_name: str
    timing: str = "BEFORE"
    events: tuple[str, ...] = ("UPDATE",)

    def __post_init__(self) -> None:
        if self.timing not in ("BEFORE", "AFTER") or not self.events or \
                not set(self.events) <= {"INSERT", "UPDATE", "DELETE", "TRUNCATE"}:
            raise DraftError(f"unknown trigger timing or events: {self.timing} {self.events}")

    def reverse(self) -> Op:
        return DropTrigger(self)


@dataclass(frozen=True)
class DropTrigger(Op):
    trigger: CreateTrigger

    def reverse(self) -> Op:
        return self.trigger


@dataclass(frozen=True)
class Grant(Op):
    """``GRANT privileges ON table TO roles`` (``revoke=True``: the REVOKE)."""

    schema: str
    table: str
    privileges: tuple[str, ...]
    roles: tuple[str, ...]
    revoke: bool = False

    def __post_init__(self) -> None:
        unknown = [p for p in self.privileges if p.upper() not in PRIVILEGES]
        if unknown or not self.privileges:
            raise DraftError(f"unknown table privileges {unknown or self.privileges!r}",
                             hint=f"use {', '.join(PRIVILEGES)}")
        object.__setattr__(self, "privileges", tuple(p.upper() for p in self.privileges))
        object.__setattr__(self, "roles", sqlparts.names(self.roles))

    def reverse(self) -> Op:
        return Grant(self.schema, self.table, self.privileges, self.roles, not self.revoke)
