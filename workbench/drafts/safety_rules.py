"""The workbench's own checks on a Draft's up SQL, for what squawk does not know about:
Row Level Security and tenancy, plus dangerous column changes with a safe alternative drafted.

Every check reads the statements with pglast and yields :class:`Hit`s; the snapshot (when
given) tells what already exists, the team config which columns carry the tenant.
"""
from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Callable, Iterator

from pglast import ast
from pglast.enums import AlterTableType, ConstrType
from pglast.stream import RawStream

from .draft import Draft, DraftError


@dataclass(frozen=True)
class Hit:
    """One problem: rule, level, message, and where (statement index, character offset)."""

    rule: str
    level: str
    message: str
    statement: int
    offset: int
    help: str = ""
    remediation: Draft | None = None


@dataclass
class Context:
    """The parsed statements and what the Draft as a whole creates, enables and adds."""

    statements: list          # (number, offset, node)
    snapshot: object
    config: object

    def key(self, relation: ast.RangeVar) -> tuple[str, str]:
        schema = relation.schemaname or self.resolve(relation.relname)
        return (schema, relation.relname)

    def resolve(self, name: str) -> str:
        """The schema of an unqualified table: the snapshot's one match, else ``public``."""
        if self.snapshot is not None:
            found = {t.schema for t in self.snapshot.objects.tables if t.name == name}
            if len(found) == 1:
                return found.pop()
        return "public"

    def of(self, kind) -> Iterator[tuple[int, int, object]]:
        return ((n, o, s) for n, o, s in self.statements if isinstance(s, kind))

    def commands(self, subtype) -> Iterator[tuple[int, int, ast.AlterTableStmt, object]]:
        for number, offset, stmt in self.of(ast.AlterTableStmt):
            for cmd in stmt.cmds or ():
                if cmd.subtype == subtype:
                    yield number, offset, stmt, cmd

    def created(self) -> dict[tuple[str, str], tuple[int, int, ast.CreateStmt]]:
        return {self.key(s.relation): (n, o, s) for n, o, s in self.of(ast.CreateStmt)}

    def rls_enabled(self) -> dict[tuple[str, str], tuple[int, int]]:
        return {self.key(s.relation): (n, o)
                for n, o, s, _ in self.commands(AlterTableType.AT_EnableRowSecurity)}

    def policy_tables(self) -> set[tuple[str, str]]:
        found = {self.key(s.table) for _, _, s in self.of(ast.CreatePolicyStmt)}
        if self.snapshot is not None:
            found |= {(p.schema, p.table) for p in self.snapshot.objects.policies}
        return found

    def skipped(self, key: tuple[str, str]) -> bool:
        schema, name = key
        return schema in self.config.skip_schemas or any(
            fnmatchcase(name, p) or fnmatchcase(f"{schema}.{name}", p)
            for p in self.config.tenant_exempt)


CHECKS: list[Callable[[Context], Iterator[Hit]]] = []


def check(function):
    """Register a check (each runs on every Draft)."""
    CHECKS.append(function)
    return function


@check
def rls_enabled_no_policy(ctx: Context):
    policies = ctx.policy_tables()
    for key, (number, offset) in ctx.rls_enabled().items():
        if key not in policies:
            yield Hit("rls_enabled_no_policy", "warn",
                      f"Row Level Security is enabled on {'.'.join(key)} but no policy exists: "
                      "API roles see no rows and can write none", number, offset,
                      "add one policy per command (builders.rls_policies)")


@check
def policy_missing_with_check(ctx: Context):
    for number, offset, stmt in ctx.of(ast.CreatePolicyStmt):
        command = (stmt.cmd_name or "all").upper()
        if command in ("INSERT", "UPDATE", "ALL") and stmt.with_check is None:
            effect = ("every insert is refused" if command == "INSERT" else
                      "new rows are checked only by USING, implicitly")
            yield Hit("policy_missing_with_check", "warn",
                      f"policy {stmt.policy_name} FOR {command} has no WITH CHECK: {effect}",
                      number, offset, "say WITH CHECK (…) explicitly for INSERT and UPDATE")


@check
def table_without_rls(ctx: Context):
    enabled = ctx.rls_enabled()
    for key, (number, offset, stmt) in ctx.created().items():
        if stmt.relation.relpersistence != "t" and key not in enabled and not ctx.skipped(key):
            yield Hit("table_without_rls", "warn",
                      f"table {'.'.join(key)} is created without Row Level Security",
                      number, offset, "add ALTER TABLE … ENABLE ROW LEVEL SECURITY and policies")


@check
def table_without_tenant_column(ctx: Context):
    tenant = tuple(ctx.config.tenant_columns)
    for key, (number, offset, stmt) in ctx.created().items():
        if stmt.partbound is not None or stmt.relation.relpersistence == "t" or ctx.skipped(key):
            continue
        names = {e.colname for e in stmt.tableElts or () if isinstance(e, ast.ColumnDef)}
        if tenant and not names & set(tenant):
            yield Hit("table_without_tenant_column", "warn",
                      f"table {'.'.join(key)} has no tenant column ({', '.join(tenant)})",
                      number, offset, "add the tenant column, or list the table in tenant_exempt")


def _kinds(column: ast.ColumnDef) -> set:
    return {c.contype for c in column.constraints or ()}


@check
def add_column_not_null_without_default(ctx: Context):
    created = ctx.created()
    for number, offset, stmt, cmd in ctx.commands(AlterTableType.AT_AddColumn):
        column, key = cmd.def_, ctx.key(stmt.relation)
        kinds = _kinds(column)
        filled = {ConstrType.CONSTR_DEFAULT, ConstrType.CONSTR_IDENTITY, ConstrType.CONSTR_GENERATED}
        if ConstrType.CONSTR_NOTNULL in kinds and not kinds & filled and key not in created:
            yield Hit("add_column_not_null_without_default", "error",
                      f"adding {column.colname} NOT NULL without a default fails on a table with "
                      "rows, and holds an exclusive lock while it checks", number,
                      column.location if column.location is not None else offset,
                      "add it nullable, backfill, then NOT NULL through a validated CHECK",
                      _safe_add_column(key, column, kinds))


def _safe_add_column(key, column: ast.ColumnDef, kinds) -> Draft | None:
    if kinds != {ConstrType.CONSTR_NOTNULL}:
        return None
    from .builders import add_column

    try:
        return add_column(*key, column.colname, RawStream()(column.typeName), not_null=True)
    except DraftError:
        return None


@check
def set_not_null_without_check(ctx: Context):
    created, checked = ctx.created(), _validated_checks(ctx)
    for number, offset, stmt, cmd in ctx.commands(AlterTableType.AT_SetNotNull):
        key = ctx.key(stmt.relation)
        if key not in created and (key, cmd.name) not in checked:
            yield Hit("set_not_null_without_check", "warn",
                      f"SET NOT NULL on {cmd.name} scans the whole table under an exclusive lock",
                      number, offset, "validate a CHECK (… IS NOT NULL) NOT VALID first",
                      _safe_not_null(key, cmd.name))


def _validated_checks(ctx: Context) -> set:
    """``(table, column)`` with a ``CHECK (column IS NOT NULL)`` added earlier in the Draft."""
    found = set()
    for _, _, stmt, cmd in ctx.commands(AlterTableType.AT_AddConstraint):
        expr = getattr(cmd.def_, "raw_expr", None)
        if isinstance(expr, ast.NullTest) and isinstance(expr.arg, ast.ColumnRef):
            found.add((ctx.key(stmt.relation), expr.arg.fields[-1].sval))
    return found


def _safe_not_null(key, column: str) -> Draft:
    from .builders.columns import not_null_steps
    from .builders.compose import draft_of
    from .builders.ops import SetNotNull

    return draft_of(f"Make {key[1]}.{column} NOT NULL without a long lock",
                    not_null_steps(*key, column, None),
                    down_ops=[SetNotNull(*key, column, False)],
                    notes=("the CHECK is validated without blocking writes; SET NOT NULL then "
                           "trusts it instead of scanning",))
