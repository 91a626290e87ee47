"""Queries as a tenant sees them: a role and the JWT claims of sample tenants (Row Level Security).

Supabase apps send ``SELECT … FROM tasks WHERE status = $1``: the tenant filter comes from
the table's policies, which read the caller's claims (``auth.uid()`` reads
``request.jwt.claims``). With ``as_role`` the advice plans, costs and times every query as
that role, with ``request.jwt.claims`` set by ``set_config`` inside the rolled-back
transaction, as the RLS probe does, so the policies' predicates and their helper functions
are in the plans.

By default the sample tenants are the smallest, a median and the largest tenant of the
largest table with Row Level Security the workload reads, counted by its tenant column (the
first of ``[tool.workbench.lint] tenant_columns`` its policies mention, else the first it
has). A user column (``user_id``) gives the user directly (``sub``); for another tenant
column (``org_id``) a member is looked up in the membership table (see
:mod:`workbench.verify.rls.tenancy`), and the claims carry the tenant column too
(``"org_id": …``) for policies that read it from the JWT. The median tenant comes first: the what-if costs are
planned as it, and its measurement is the query's main one.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from psycopg import sql

from ..errors import WorkbenchError
from ..lint.config import user_columns
from ..session import connection_of, read_only

TENANT_ROWS = """
SELECT r, v, n FROM (
    SELECT v, n, row_number() OVER (ORDER BY n, v) AS r, count(*) OVER () AS total
    FROM (SELECT {column}::text AS v, count(*) AS n FROM {table} WHERE {column} IS NOT NULL GROUP BY 1) AS s
) AS ranked
WHERE r IN (1, (total + 1) / 2, total)
ORDER BY r
"""

MEMBER = "SELECT {user}::text FROM {table} WHERE {tenant}::text = %s ORDER BY 1 LIMIT 1"


@dataclass(frozen=True)
class Viewer:
    """Whom a query runs as: a ``role`` and the JWT ``claims`` of one tenant (None: no claims)."""

    role: str
    claims: dict | None
    label: str

    @property
    def claims_json(self) -> str:
        return json.dumps(self.claims) if self.claims else ""


@contextmanager
def viewing(conn, viewer: Viewer | None) -> Iterator[None]:
    """Run the block as ``viewer``: ``SET LOCAL ROLE`` and ``request.jwt.claims`` inside a
    savepoint that is rolled back afterwards (nothing when ``viewer`` is None)."""
    if viewer is None:
        yield
        return
    with conn.transaction(force_rollback=True):
        conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(viewer.role)))
        conn.execute("SELECT set_config('request.jwt.claims', %s, true)", [viewer.claims_json])
        yield


def claims_for(role: str, user: str | None, **extra) -> dict:
    """The claims PostgREST would set for ``user`` signed in as ``role``."""
    claims = {"sub": user, "role": role, "aud": "authenticated"} if user else {"role": role}
    return {**claims, **extra}


def given_viewers(role: str, tenants) -> list[Viewer]:
    """Viewers from the claims given (dicts or JSON objects); the role is ``role`` unless a
    claim says otherwise."""
    found = []
    for item in tenants:
        claims = json.loads(item) if isinstance(item, str) else dict(item)
        if not isinstance(claims, dict):
            raise WorkbenchError(f"claims must be a JSON object, got {item!r}",
                                 hint='give e.g. {"sub": "<user uuid>", "role": "authenticated"}')
        claims = {"role": role, **claims}
        who = ", ".join(f"{k}={claims[k]}" for k in ("sub", "org_id") if k in claims) or json.dumps(claims)
        found.append(Viewer(role, claims, f"as {role} with {who}"))
    return found


def viewers_for(target, schema, tables, role: str, tenants, tenant_columns: tuple[str, ...]) -> list[Viewer]:
    """The viewers of an advice run as ``role``: the given claims, the default sample tenants
    (``tenants=True``), or the role without claims (``tenants=False``)."""
    if tenants is True:
        return default_viewers(target, schema, tables, role, tenant_columns)
    if not tenants:
        return [Viewer(role, None, f"as {role}")]
    return given_viewers(role, tenants)


def default_viewers(target, schema, tables, role: str, tenant_columns: tuple[str, ...]) -> list[Viewer]:
    """The median, smallest and largest tenant (see the module docstring)."""
    found = tenant_table(schema, tables, tenant_columns)
    if found is None:
        return [Viewer(role, None, f"as {role}")]
    table, column = found
    ranked = tenant_rows(target, table, column)
    if not ranked:
        return [Viewer(role, None, f"as {role}")]
    picks = {"median": ranked[len(ranked) // 2], "smallest": ranked[0], "largest": ranked[-1]}
    viewers, seen = [], set()
    for which, (value, rows) in picks.items():
        if value in seen:
            continue
        seen.add(value)
        user = user_of(target, schema, column, value, tenant_columns)
        extra = {} if column in user_columns(tenant_columns) else {column: value}
        viewers.append(Viewer(role, claims_for(role, user, **extra),
                              f"{which} tenant {column}={value} ({rows:,} rows)"))
    return viewers


def tenant_table(schema, tables, tenant_columns: tuple[str, ...]):
    """(table, tenant column) of the largest table with Row Level Security among ``tables``."""
    from .policies import policy_columns

    found = []
    for key in dict.fromkeys(tables):
        table = schema.table(key)
        names = {c.name for c in table.columns}
        mentioned = policy_columns(table)
        columns = [c for c in tenant_columns if c in names and c in mentioned] or \
                  [c for c in tenant_columns if c in names]
        if table.rls_enabled and columns:
            found.append((table.rows_estimate or 0, table, columns[0]))
    if not found:
        return None
    _, table, column = max(found, key=lambda item: item[0])
    return table, column


def tenant_rows(target, table, column: str) -> list[tuple[str, int]]:
    """(value, rows) of the smallest, the median and the largest tenant of ``table`` (fewer
    when there are fewer tenants), fewest rows first: one GROUP BY."""
    conn = connection_of(target)
    query = sql.SQL(TENANT_ROWS).format(column=sql.Identifier(column),
                                        table=sql.Identifier(table.schema, table.name))
    with read_only(conn):
        return [(value, int(rows)) for _, value, rows in conn.execute(query).fetchall()]


def user_of(target, schema, column: str, value: str, tenant_columns: tuple[str, ...]) -> str:
    """The user whose claims show the tenant ``column = value``: the value itself for a user
    column, else a member found in the membership table."""
    if column in user_columns(tenant_columns):
        return value
    from ..verify.rls.tenancy import infer_tenancy

    membership = infer_tenancy(schema, tenant_columns).membership
    if membership is None or membership.tenant_column != column:
        raise WorkbenchError(f"cannot tell which user belongs to the tenant {column}={value}: "
                             "no membership table links users to it",
                             hint="give the tenants' claims: tenants=[{'sub': '<user uuid>'}, …] "
                                  "(workbench advise --claims JSON)")
    conn = connection_of(target)
    query = sql.SQL(MEMBER).format(user=sql.Identifier(membership.user_column),
                                   table=sql.Identifier(*membership.table),
                                   tenant=sql.Identifier(membership.tenant_column))
    with read_only(conn):
        row = conn.execute(query, [value]).fetchone()
    if row is None:
        raise WorkbenchError(f"the tenant {column}={value} has no member in {'.'.join(membership.table)}",
                             hint="give the tenants' claims: tenants=[{'sub': '<user uuid>'}, …]")
    return row[0]


def check_role(target, role: str) -> None:
    """Fail clearly unless ``role`` exists and the session may act as it (``SET ROLE``)."""
    conn = connection_of(target)
    with read_only(conn):
        row = conn.execute("SELECT pg_has_role(current_user, oid, 'MEMBER') FROM pg_roles WHERE rolname = %s",
                           [role]).fetchone()
    if row is None:
        raise WorkbenchError(f"there is no role {role!r} on this server",
                             hint="name an existing role; the Supabase roles come with "
                                  "workbench.samples.install_shim(conn)")
    if not row[0]:
        raise WorkbenchError(f"this session cannot act as {role!r} (SET ROLE)",
                             hint=f"GRANT {role} TO the session's user, or connect as a superuser")
