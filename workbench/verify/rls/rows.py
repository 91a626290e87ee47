"""Rows for the probe's tenants, made up as the setup role (which bypasses RLS).

For each table and tenant the factory inserts one row: the tenant column set to the tenant,
every required foreign key pointing at a row it made for the same tenant (made first,
recursively), user references pointing at the acting user, column defaults left to work,
and other NOT NULL columns filled with candidate values until the CHECK constraints accept
them. A table it cannot fill raises :class:`RowError` with the reason.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import psycopg
from psycopg import sql

from ...catalog import Column, Schema, Table
from .sql import Row, Tenant, insert_sql, row_as_text, set_claims, table_name, to_row
from .tenancy import Key, Tenancy
from .values import column_candidates, enum_index, is_known_type

MAX_ATTEMPTS = 40
PREFERRED_ROLES = ("owner", "admin")


class RowError(Exception):
    """A row the probe could not make; the message is the reason."""


SKIP = object()  # a foreign key left to its default (NULL)


class RowFactory:
    """Makes and remembers rows per table and tenant (``variant`` tells apart a second row
    of the same tenant, for CHECKs such as ``from_batch_id <> to_batch_id``)."""

    def __init__(self, conn: psycopg.Connection, schema: Schema, tenancy: Tenancy):
        self.conn, self.schema, self.tenancy = conn, schema, tenancy
        self.enums = enum_index(schema.objects.enums)
        self.counter = itertools.count(1)
        self.rows: dict[tuple, Row] = {}
        self.failed: dict[tuple, str] = {}
        self.learned: dict[Key, Plan] = {}
        self.cast_ok: dict[tuple[str, str], bool] = {}
        self._building: set[tuple] = set()

    def table(self, key: Key) -> Table:
        """The snapshot's table ``key``."""
        return self.schema.table(key)

    def owned(self, key: Key) -> bool:
        """Whether rows of ``key`` belong to a tenant (else they are shared)."""
        return key == self.tenancy.identity or self.tenancy.of(key) is not None

    def row(self, key: Key, tenant: Tenant | None, variant: int = 0) -> Row:
        """The tenant's row in ``key`` (a shared table: any row), made on first use."""
        memo = (key, tenant.name if tenant else None, variant)
        if memo in self.rows:
            return self.rows[memo]
        if memo in self.failed:
            raise RowError(self.failed[memo])
        if memo in self._building:
            raise RowError(f"the foreign keys of {'.'.join(key)} form a cycle of NOT NULL columns")
        self._building.add(memo)
        try:
            found = None if tenant or variant else self.existing(key)
            self.rows[memo] = found or self.create(key, tenant)
        except RowError as exc:
            self.failed[memo] = str(exc)
            raise
        finally:
            self._building.discard(memo)
        return self.rows[memo]

    def existing(self, key: Key) -> Row | None:
        """Any row of a shared table (a lookup table the tenants' rows refer to)."""
        table = self.table(key)
        query = sql.SQL("SELECT {} FROM {} LIMIT 1").format(row_as_text(table), table_name(table))
        found = self.conn.execute(query).fetchone()
        return to_row(table, found) if found else None

    def fresh_values(self, key: Key, tenant: Tenant, actor: Tenant) -> dict[str, str | None]:
        """The values of one more row of ``key`` for ``tenant``, as the setup learned to
        write them (not inserted): for the probe's own INSERT attempts."""
        plan = self.learned.get(key) or Plan()
        values = self.fixed(key, tenant, actor, plan.variants)
        table = self.table(key)
        return {**values, **self.filled(table, plan.free(table, values), plan.choice)}

    def fixed(self, key: Key, tenant: Tenant | None, actor: Tenant | None,
              variants: dict[str, int]) -> dict[str, str | None]:
        """The tenant column and the foreign keys of a new row (parents made as needed);
        ``actor`` owns the user references."""
        table, tenancy = self.table(key), self.tenancy.of(key)
        tenant_column = tenancy.column if tenancy and tenancy.kind != "tenant" else None
        fixed: dict[str, str | None] = {}
        if key == self.tenancy.identity and tenant:
            fixed[identity_column(table)] = tenant.user_id
        for fk in table.foreign_keys:
            owner = self.reference_owner(table, fk, tenant_column, tenant, actor or tenant)
            if owner is not SKIP:
                parent = self.row(fk.ref_key, owner, variants.get(fk.name, 0))
                fixed.update({c: parent.values[r] for c, r in zip(fk.columns, fk.ref_columns)})
        if tenant_column and tenant_column not in fixed and tenant:
            fixed[tenant_column] = tenant.user_id
        return fixed

    def reference_owner(self, table: Table, fk, tenant_column, tenant, actor):
        """Whose parent row a foreign key points at: the tenant's, the actor's (user
        references), None (a shared table), or SKIP to leave the column to its default."""
        is_tenant_key = tenant_column in fk.columns
        user_ref = fk.ref_key in self.tenancy.users and not is_tenant_key
        columns = [table.column(c) for c in fk.columns]
        required = is_tenant_key or any(not c.nullable for c in columns)
        optional_user = user_ref and all(c.default is None for c in columns)
        if not required and (fk.ref_key == table.key or not optional_user):
            return SKIP
        if not self.owned(fk.ref_key):
            return None
        if tenant is None:
            raise RowError(f"{table.qualname} is shared but refers to per-tenant rows of "
                           f"{'.'.join(fk.ref_key)}")
        return actor if user_ref else tenant

    def create(self, key: Key, tenant: Tenant | None) -> Row:
        """Insert a new row for ``tenant``, trying candidate values (and second parent rows)
        until the constraints accept it; what worked is kept for the table's next rows."""
        table = self.table(key)
        plan = Plan(extra=self.preferred_columns(table))
        for _ in range(MAX_ATTEMPTS):
            fixed = self.fixed(key, tenant, tenant, plan.variants)
            values = {**fixed, **self.filled(table, plan.free(table, fixed), plan.choice)}
            try:
                row = self.try_insert(table, values, tenant)
            except (psycopg.errors.CheckViolation, psycopg.errors.UniqueViolation,
                    psycopg.errors.NotNullViolation) as exc:
                plan = self.replan(table, plan, fixed, exc)
                continue
            except psycopg.Error as exc:
                raise RowError(failure(table, exc)) from None
            self.learned[key] = plan
            return row
        raise RowError(f"could not create a row in {table.qualname}: no candidate values satisfied "
                       f"its constraints in {MAX_ATTEMPTS} attempts")

    def filled(self, table: Table, columns: list[str], choice: dict[str, int]) -> dict[str, str]:
        """Candidate values for ``columns`` (a fresh running number for each row)."""
        n = next(self.counter)
        found = {c: self.candidates(table, c, n) for c in columns}
        return {c: values[min(choice.get(c, 0), len(values) - 1)] for c, values in found.items()}

    def try_insert(self, table: Table, values, tenant: Tenant | None) -> Row:
        """One insert in a savepoint, with the tenant's claims for defaults."""
        with self.conn.transaction():
            set_claims(self.conn, tenant)
            found = self.conn.execute(insert_sql(table, values)).fetchone()
        return to_row(table, found)

    def replan(self, table: Table, plan: Plan, fixed, exc: psycopg.Error) -> Plan:
        """The next thing to try after a violated constraint: fill a NOT NULL column whose
        default did not do, other candidates for its columns, or a second parent row."""
        columns = violated_columns(table, exc)
        free = plan.free(table, fixed)
        extra = tuple(c for c in columns if c not in fixed and c not in free
                      and not table.column(c).nullable)
        if extra:
            return Plan(plan.choice, plan.variants, plan.extra + extra)
        moving = [c for c in columns if c in free]
        sizes = {c: len(self.candidates(table, c, 0)) for c in moving}
        choice = advance(plan.choice, moving, sizes) if moving else None
        if choice is not None:
            return Plan(choice, plan.variants, plan.extra)
        variants = next_variants(table, plan.variants, columns)
        if variants is None:
            raise RowError(failure(table, exc))
        return Plan({}, variants, plan.extra)

    def candidates(self, table: Table, name: str, n: int) -> list[str]:
        """Candidate values of a column (of types the probe does not know: those that cast)."""
        column = table.column(name)
        prefer = PREFERRED_ROLES if self.is_membership(table) else ()
        values = column_candidates(table, column, self.enums, n, prefer)
        if is_known_type(column.type, self.enums):
            return values
        return [v for v in values if self.casts(v, column.type)] or values[:1]

    def preferred_columns(self, table: Table) -> tuple[str, ...]:
        """In the membership table: columns (defaults or not) that can say ``owner``/``admin``,
        so that each tenant's user administers its organization."""
        if not self.is_membership(table):
            return ()
        return tuple(c.name for c in table.columns if c.generated is None and c.identity is None
                     and set(PREFERRED_ROLES) & set(self.candidates(table, c.name, 0)))

    def is_membership(self, table: Table) -> bool:
        """Whether ``table`` is the membership table."""
        membership = self.tenancy.membership
        return membership is not None and membership.table == table.key

    def casts(self, value: str, type_text: str) -> bool:
        """Whether PostgreSQL reads ``value`` as ``type_text`` (remembered)."""
        if (type_text, value) not in self.cast_ok:
            try:
                with self.conn.transaction():
                    self.conn.execute(sql.SQL("SELECT CAST({} AS {})").format(sql.Literal(value),
                                                                             sql.SQL(type_text)))
                self.cast_ok[(type_text, value)] = True
            except psycopg.Error:
                self.cast_ok[(type_text, value)] = False
        return self.cast_ok[(type_text, value)]


@dataclass(frozen=True)
class Plan:
    """How to fill a table's rows: candidate ``choice`` per column, which parent row
    (``variants`` per foreign key) and the NOT NULL columns with defaults to fill anyway."""

    choice: dict[str, int] = field(default_factory=dict)
    variants: dict[str, int] = field(default_factory=dict)
    extra: tuple[str, ...] = ()

    def free(self, table: Table, fixed) -> list[str]:
        """The columns to fill with candidate values."""
        return [c.name for c in table.columns if c.name not in fixed
                and (needs_value(c) or c.name in self.extra)]


def identity_column(table: Table) -> str:
    """The key column of the users table (``auth.users.id``)."""
    if table.primary_key is None or len(table.primary_key.columns) != 1:
        raise RowError(f"{table.qualname} has no single-column primary key to hold a user id")
    return table.primary_key.columns[0]


def needs_value(column: Column) -> bool:
    """NOT NULL without a default, identity or generation expression."""
    return (not column.nullable and column.default is None and column.identity is None
            and column.generated is None)


def violated_columns(table: Table, exc: psycopg.Error) -> list[str]:
    """The columns of the constraint (or unique index) ``exc`` names."""
    name = exc.diag.constraint_name
    if isinstance(exc, psycopg.errors.NotNullViolation):
        return [exc.diag.column_name] if exc.diag.column_name else []
    for item in table.constraints + table.indexes:
        if item.name == name:
            return [c for c in item.columns if any(col.name == c for col in table.columns)]
    return []


def next_variants(table: Table, variants: dict[str, int], columns: list[str]) -> dict[str, int] | None:
    """Point one foreign key among ``columns`` at another parent row (at most two more)."""
    for fk in reversed(table.foreign_keys):
        if set(fk.columns) & set(columns) and variants.get(fk.name, 0) < 2:
            return {**variants, fk.name: variants.get(fk.name, 0) + 1}
    return None


def advance(choice: dict[str, int], columns: list[str], sizes: dict[str, int]) -> dict[str, int] | None:
    """The next index combination over ``columns`` (an odometer), None after the last."""
    choice = dict(choice)
    for column in columns:
        choice[column] = choice.get(column, 0) + 1
        if choice[column] < sizes[column]:
            return choice
        choice[column] = 0
    return None


def failure(table: Table, exc: psycopg.Error) -> str:
    """Why a row could not be made: the table and PostgreSQL's first message line."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"could not create a row in {table.qualname}: {message}"
