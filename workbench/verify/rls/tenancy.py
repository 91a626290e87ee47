"""Whose rows are these? The tenancy of every table, inferred from foreign keys and policies.

The identity table is ``auth.users``; *user tables* are it and every table keyed by it (a
unique, not-null foreign key to a user table: ``profiles.id``, ``agent.users.id``). A
*membership table* links users to a *tenant table* (a not-null key to each; a unique pair,
a ``…member…`` name, or policies testing the tenant column against a set make it likely).
Each table is then:

- ``tenant``: the tenant table itself (its key is the tenant);
- ``org``: it has a column referencing the tenant table;
- ``user``: a user table, a column its policies compare with ``auth.uid()``, a not-null key to
  a user table, or a user column of the configured tenant columns (``user_id``);
- ``parent``: a not-null key to a table whose tenancy is known (the tenant comes through it);
- unknown otherwise (the probe cannot tell whose rows they are).

Among several keys, the one the policies mention wins, then a not-null one, then one of the
configured tenant columns (``[tool.workbench.lint] tenant_columns``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from ...catalog import ForeignKey, Schema, Table
from ...errors import WorkbenchError
from ...lint.config import load_config, user_columns
from .expr import set_columns, uid_columns

IDENTITY = ("auth", "users")
BASE_KINDS = ("table", "partitioned")

Key = tuple[str, str]


@dataclass(frozen=True)
class TableTenancy:
    """How one table's rows belong to a tenant: ``kind`` (tenant, org, user, parent), the
    tenant ``column``, the table it references (``parent``/``ref_column``) and ``scope``
    (``org`` when the tenant is an organization-like row, ``user`` when it is a user)."""

    kind: str
    column: str
    parent: Key | None = None
    ref_column: str | None = None
    scope: str = "user"

    def label(self) -> str:
        """A short description for reports: ``org_id → nursery.organizations``."""
        if self.kind == "tenant":
            return "the tenant table"
        if self.parent is None:
            return f"{self.column} = auth.uid()"
        return f"{self.column} → {'.'.join(self.parent)}"


@dataclass(frozen=True)
class Membership:
    """The table linking users to tenants, and its two columns."""

    table: Key
    user_column: str
    tenant_column: str


@dataclass(frozen=True)
class Tenancy:
    """The tenancy of a database: its user tables, tenant table, membership and each table's
    :class:`TableTenancy`."""

    identity: Key
    users: frozenset[Key]
    tenant: Key | None = None
    membership: Membership | None = None
    tables: dict[Key, TableTenancy] = field(default_factory=dict)

    def of(self, key: Key) -> TableTenancy | None:
        """The tenancy of the table ``key``, or None when unknown."""
        return self.tables.get(key)

    def describe(self) -> str:
        """One line: how tenants are told apart."""
        if self.tenant is None:
            return "user-owned rows (tenant = auth.uid())"
        m = self.membership
        return (f"org-scoped: tenant table {'.'.join(self.tenant)}, membership "
                f"{'.'.join(m.table)} ({m.user_column}, {m.tenant_column})")


def infer_tenancy(schema: Schema, tenant_columns: Sequence[str] | None = None) -> Tenancy:
    """The :class:`Tenancy` of the snapshot's tables (needs ``auth.users``); ``tenant_columns``
    default to the configured ones (``[tool.workbench.lint] tenant_columns``)."""
    named = tuple(load_config().tenant_columns if tenant_columns is None else tenant_columns)
    tables = {t.key: t for t in schema.objects.tables if t.kind in BASE_KINDS}
    if IDENTITY not in tables:
        raise WorkbenchError("no auth.users table: the probe impersonates Supabase-style users",
                             hint="install the auth shim first: workbench.samples.install_shim(conn)")
    users = user_tables(tables)
    hints = policy_hints(tables.values())
    membership = find_membership(tables, users, hints)
    tenant = membership_target(tables, membership)
    result = {key: found for key, table in tables.items()
              if key != IDENTITY and (found := direct_tenancy(table, users, tenant, hints, named))}
    result.update(parent_tenancy(tables, result))
    return Tenancy(IDENTITY, users, tenant, membership, result)


def single_fks(table: Table) -> list[ForeignKey]:
    """The single-column foreign keys of ``table``, in column order."""
    order = {c.name: i for i, c in enumerate(table.columns)}
    fks = [fk for fk in table.foreign_keys if len(fk.columns) == 1]
    return sorted(fks, key=lambda fk: (order.get(fk.columns[0], 0), fk.name))


def not_null(table: Table, column: str) -> bool:
    """Whether ``column`` of ``table`` is NOT NULL."""
    return not table.column(column).nullable


def unique_columns(table: Table) -> set[frozenset[str]]:
    """The column sets of the table's primary key and unique constraints."""
    return {frozenset(c.columns) for c in table.constraints if c.kind in ("primary key", "unique")}


def user_key(table: Table, users: set[Key]) -> ForeignKey | None:
    """The unique, not-null key by which ``table`` refers to a user table, if any."""
    unique = unique_columns(table)
    for fk in single_fks(table):
        column = fk.columns[0]
        if fk.ref_key in users and frozenset(fk.columns) in unique and not_null(table, column):
            return fk
    return None


def user_tables(tables: dict[Key, Table]) -> frozenset[Key]:
    """``auth.users`` and the tables keyed by it, transitively."""
    users = {IDENTITY}
    grown = True
    while grown:
        found = {key for key, t in tables.items() if key not in users and user_key(t, users)}
        users |= found
        grown = bool(found)
    return frozenset(users)


@dataclass(frozen=True)
class Hints:
    """What the policies say about each table: uid-compared and set-tested columns."""

    uid: dict[Key, set[str]]
    sets: dict[Key, set[str]]


def policy_hints(tables) -> Hints:
    """Read every policy's expressions once."""
    uid, sets = {}, {}
    for table in tables:
        texts = [text for p in table.policies for text in (p.using, p.with_check) if text]
        uid[table.key] = set().union(*(uid_columns(t, table.name) for t in texts))
        sets[table.key] = set().union(*(set_columns(t, table.name) for t in texts))
    return Hints(uid, sets)


def find_membership(tables: dict[Key, Table], users: frozenset[Key], hints: Hints) -> Membership | None:
    """The most likely membership table: not-null keys to a user table and to another table."""
    targets = policy_targets(tables, hints)
    best, best_score = None, 1
    for table in tables.values():
        for user_fk, tenant_fk in membership_pairs(table, users):
            score = membership_score(table, user_fk, tenant_fk, targets)
            if score > best_score:
                best, best_score = Membership(table.key, user_fk.columns[0], tenant_fk.columns[0]), score
    return best


def membership_pairs(table: Table, users: frozenset[Key]):
    """``(user key, other key)`` pairs of not-null single-column foreign keys of ``table``."""
    fks = [fk for fk in single_fks(table) if not_null(table, fk.columns[0])]
    for user_fk in (fk for fk in fks if fk.ref_key in users and table.key not in users):
        for other in fks:
            if other.ref_key not in users and other.ref_key != table.key:
                yield user_fk, other


def membership_score(table: Table, user_fk: ForeignKey, tenant_fk: ForeignKey,
                     targets: dict[Key, int]) -> int:
    """How much a key pair looks like a membership (unique pair, name, policies)."""
    pair = frozenset(user_fk.columns + tenant_fk.columns)
    score = 2 if pair in unique_columns(table) else 0
    score += 1 if "member" in table.name.lower() else 0
    return score + (3 if targets.get(tenant_fk.ref_key) else 0)


def policy_targets(tables: dict[Key, Table], hints: Hints) -> dict[Key, int]:
    """How many tables' policies test a column referencing each table against a set."""
    counts: dict[Key, int] = {}
    for key, table in tables.items():
        for fk in single_fks(table):
            if fk.columns[0] in hints.sets.get(key, ()):
                counts[fk.ref_key] = counts.get(fk.ref_key, 0) + 1
    return counts


def membership_target(tables: dict[Key, Table], membership: Membership | None) -> Key | None:
    """The tenant table the membership's tenant column references."""
    if membership is None:
        return None
    table = tables[membership.table]
    return next(fk.ref_key for fk in single_fks(table) if fk.columns == (membership.tenant_column,))


def direct_tenancy(table: Table, users: frozenset[Key], tenant: Key | None, hints: Hints,
                   named: tuple[str, ...]) -> TableTenancy | None:
    """The tenancy of ``table`` from its own columns (None when it comes through a parent)."""
    if table.key == tenant and table.primary_key and len(table.primary_key.columns) == 1:
        return TableTenancy("tenant", table.primary_key.columns[0], scope="org")
    policy_sets = hints.sets.get(table.key, set())
    to_tenant = [fk for fk in single_fks(table) if tenant and fk.ref_key == tenant]
    if to_tenant:
        fk = _preferred(table, to_tenant, policy_sets, named)
        return TableTenancy("org", fk.columns[0], fk.ref_key, fk.ref_columns[0], scope="org")
    return user_tenancy(table, users, hints.uid.get(table.key, set()), named)


def user_tenancy(table: Table, users: frozenset[Key], uid_cols: set[str],
                 named: tuple[str, ...]) -> TableTenancy | None:
    """User-owned: keyed by a user, compared with ``auth.uid()``, a not-null user key, or a
    user column of the ``named`` tenant columns."""
    to_users = [fk for fk in single_fks(table) if fk.ref_key in users]
    keyed = user_key(table, set(users)) if table.key in users else None
    candidates = ([keyed] if keyed else []) + [fk for fk in to_users if fk.columns[0] in uid_cols]
    candidates += [fk for fk in to_users if not_null(table, fk.columns[0])]
    if candidates:
        fk = _preferred(table, candidates, uid_cols, named)
        return TableTenancy("user", fk.columns[0], fk.ref_key, fk.ref_columns[0])
    users_named = user_columns(named)
    names = [c.name for c in table.columns if c.name in uid_cols or c.name in users_named]
    return TableTenancy("user", names[0]) if names else None


def _preferred(table: Table, fks: list[ForeignKey], mentioned: set[str],
               named: tuple[str, ...]) -> ForeignKey:
    """The key the policies mention, else a not-null one, else one of the ``named`` tenant
    columns, else the first."""
    def rank(fk: ForeignKey) -> tuple:
        column = fk.columns[0]
        return (column not in mentioned, not not_null(table, column),
                column not in named, fks.index(fk))
    return min(fks, key=rank)


def parent_tenancy(tables: dict[Key, Table], known: dict[Key, TableTenancy]) -> dict[Key, TableTenancy]:
    """Tenancy through a not-null key to a table whose tenancy is known, to a fixed point."""
    found: dict[Key, TableTenancy] = {}
    grown = True
    while grown:
        grown = False
        for key, table in tables.items():
            if key in known or key in found or key == IDENTITY:
                continue
            link = _parent_link(table, {**known, **found})
            if link:
                found[key], grown = link, True
    return found


def _parent_link(table: Table, known: dict[Key, TableTenancy]) -> TableTenancy | None:
    for fk in single_fks(table):
        column = fk.columns[0]
        if fk.ref_key in known and fk.ref_key != table.key and not_null(table, column):
            return TableTenancy("parent", column, fk.ref_key, fk.ref_columns[0],
                                scope=known[fk.ref_key].scope)
    return None
