"""Values to run a query with when measuring it: the written one, and tenants small and large.

A multi-tenant table is rarely uniform: one organisation may own a third of the rows and
another a dozen. An index that is right for the small tenant can be wrong for the large one
(and the other way round), so when the query filters on a tenant column (one of the
configured ``[tool.workbench.lint] tenant_columns``), it is measured with the smallest and the
largest tenant's value too. Other
``$n`` parameters compared by equality get the column's most common value.

Planned as a role (Row Level Security, see :mod:`.viewers`), the tenant is whoever signs
in: the query runs once as each sample tenant, with its claims, instead.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

import pglast
from pglast import ast, enums
from pglast.stream import RawStream
from pglast.visitors import Visitor

from ..session import connection_of, read_only
from .query import QueryShape
from .sources import Query

TENANT_SIZES = """
SELECT (array_agg(v ORDER BY n, v))[1], min(n), (array_agg(v ORDER BY n DESC, v))[1], max(n)
FROM (SELECT {column}::text AS v, count(*) AS n FROM {table} WHERE {column} IS NOT NULL GROUP BY 1) AS s
"""

COMMON_VALUE = """
SELECT (most_common_vals::text::text[])[1] FROM pg_stats
WHERE schemaname = %s AND tablename = %s AND attname = %s AND NOT inherited
"""


@dataclass(frozen=True)
class Sample:
    """One way to run a query: its SQL, the parameter values, a label saying which case it is,
    and whom it runs as (a :class:`~.viewers.Viewer`, None for the session's own role)."""

    label: str
    sql: str
    params: tuple | None = None
    viewer: object = None


@dataclass(frozen=True)
class Tenant:
    """A tenant column's smallest and largest tenant: (value, rows) each."""

    schema: str
    table: str
    column: str
    small: tuple[str, int]
    large: tuple[str, int]


def tenant_of(target, shape: QueryShape, cache: dict, tenant_columns: tuple[str, ...]) -> Tenant | None:
    """The smallest and largest tenant of the first of ``tenant_columns`` the query picks one
    tenant of."""
    for access in shape.accesses:
        for condition in access.conditions:
            if condition.picks_tenant(tenant_columns):
                key = (access.schema, access.table, condition.key.column)
                if key not in cache:
                    cache[key] = tenant_sizes(target, *key)
                return cache[key]
    return None


def tenant_sizes(target, schema: str, table: str, column: str) -> Tenant | None:
    """Count rows per tenant value (one GROUP BY) and keep the extremes."""
    from psycopg import sql

    conn = connection_of(target)
    query = sql.SQL(TENANT_SIZES).format(column=sql.Identifier(column),
                                         table=sql.Identifier(schema, table))
    with read_only(conn):
        row = conn.execute(query).fetchone()
    if not row or row[0] is None:
        return None
    return Tenant(schema, table, column, (row[0], int(row[1])), (row[2], int(row[3])))


class _TenantParam(Visitor):
    """Replace ``tenant = <literal>`` by ``tenant = $n`` (or find the ``$n`` already there)."""

    def __init__(self, column: str, number: int):
        self.column = column
        self.number = number
        self.found: int | None = None

    def visit_A_Expr(self, ancestors, node):
        if node.kind != enums.A_Expr_Kind.AEXPR_OP or node.name[-1].sval != "=" or self.found:
            return None
        for side, other in (("lexpr", node.rexpr), ("rexpr", node.lexpr)):
            if is_column(other, self.column):
                value = getattr(node, side)
                if isinstance(value, ast.ParamRef):
                    self.found = value.number
                elif is_literal(value):
                    self.found = self.number
                    setattr(node, side, ast.ParamRef(number=self.number))
        return None


def is_column(node, column: str) -> bool:
    return isinstance(node, ast.ColumnRef) and isinstance(node.fields[-1], ast.String) \
        and node.fields[-1].sval == column


def is_literal(node) -> bool:
    while isinstance(node, ast.TypeCast):
        node = node.arg
    return isinstance(node, ast.A_Const)


def with_tenant_parameter(sql: str, column: str, param_count: int) -> tuple[str, int] | None:
    """``sql`` with the tenant's value as a parameter: (new SQL, its $n), None when not found."""
    tree = copy.deepcopy(pglast.parse_sql(sql)[0].stmt)
    finder = _TenantParam(column, param_count + 1)
    finder(tree)
    if finder.found is None:
        return None
    if finder.found <= param_count:
        return sql, finder.found
    return RawStream()(tree), finder.found


def common_value(target, schema: str, table: str, column: str):
    conn = connection_of(target)
    with read_only(conn):
        row = conn.execute(COMMON_VALUE, [schema, table, column]).fetchone()
    return row[0] if row else None


def parameter_values(target, query: Query, shape: QueryShape) -> dict[int, object] | None:
    """A value for each ``$n`` (given ones first, else the column's most common value); None if any is unknown."""
    if query.params is not None:
        return dict(enumerate(query.params, start=1))
    values: dict[int, object] = {}
    for access in shape.accesses:
        for condition in access.conditions:
            if condition.op == "eq" and len(condition.params) == 1 and not condition.key.expression:
                number = condition.params[0]
                if number not in values:
                    values[number] = common_value(target, access.schema, access.table, condition.key.column)
    if any(values.get(n) is None for n in range(1, shape.param_count + 1)):
        return None
    return values


def samples(target, query: Query, shape: QueryShape, tenants: dict,
            tenant_columns: tuple[str, ...] = (), viewers=()) -> list[Sample]:
    """The ways to run ``query`` when measuring it (empty when its parameters have no values);
    for the smallest and largest tenant too when it filters on one of ``tenant_columns``; with
    ``viewers``, once as each of them."""
    values = parameter_values(target, query, shape) if shape.param_count else {}
    if viewers:
        return viewer_samples(query, shape, values, viewers)
    found = []
    if values is not None:
        ordered = tuple(values[n] for n in range(1, shape.param_count + 1)) if shape.param_count else None
        found.append(Sample("as written" if not shape.param_count else "sample values", query.sql, ordered))
    tenant = tenant_of(target, shape, tenants, tenant_columns) if tenant_columns else None
    if tenant is not None and values is not None:
        found += tenant_samples(query, shape, tenant, values)
    return found


def tenant_samples(query: Query, shape: QueryShape, tenant: Tenant, values: dict) -> list[Sample]:
    rewritten = with_tenant_parameter(query.sql, tenant.column, shape.param_count)
    if rewritten is None:
        return []
    sql, number = rewritten
    count = max(shape.param_count, number)
    result = []
    for size, (value, rows) in (("smallest", tenant.small), ("largest", tenant.large)):
        params = dict(values)
        params[number] = value
        ordered = tuple(params.get(n) for n in range(1, count + 1))
        result.append(Sample(f"{size} tenant {tenant.column}={value} ({rows:,} rows)", sql, ordered))
    return result


def smallest_tenant(target, query: Query, shape: QueryShape, tenants: dict,
                    tenant_columns: tuple[str, ...]) -> Sample | None:
    """The query as the smallest tenant would run it (None when it picks no tenant)."""
    found = samples(target, query, shape, tenants, tenant_columns)
    return next((s for s in found if s.label.startswith("smallest tenant")), None)


def viewer_samples(query: Query, shape: QueryShape, values: dict | None, viewers) -> list[Sample]:
    """The query with its parameter values, once as each viewer."""
    if values is None:
        return []
    ordered = tuple(values[n] for n in range(1, shape.param_count + 1)) if shape.param_count else None
    return [Sample(viewer.label, query.sql, ordered, viewer) for viewer in viewers]
