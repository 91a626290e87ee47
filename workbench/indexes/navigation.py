"""The paths the workload walks through foreign keys, as queries of the workload in their own right.

A query that joins a table through one of its foreign keys (``comments.ticket_id =
tickets.id``, an ``EXISTS`` on a customer's tickets, a ``LATERAL`` top-N of an account's
movements) shows that the app goes from a parent row to the rows that reference it. The
screens seen are rarely the only ones that do: the next one lists a customer's tickets with
other filters, or deletes the parent, which looks up its children once per row. An index led
by the referencing columns serves them all; a narrower one made for the query seen (``WHERE
status IN (…)``) serves only that query, and a plan that reaches for it elsewhere can be slower
than no index at all. It is also what the schema review asks for (an unindexed foreign key).

So each such path joins the workload as ``SELECT 1 FROM child WHERE fk = $1``, with
:data:`NAVIGATION_SHARE` of the calls of the queries that walk it: enough that an index on the
foreign key wins over a narrower pick that serves the seen query about as well, not so much
that the path outweighs the queries themselves. What the index costs the workload's writes
comes off its gain as for any other (:mod:`.writes`). Paths an index already leads with are
left out.

A parent the app walks from is a page of its own (an account, a customer), and its page lists
its other children too: a ledger that walks from an account to its movements shows the
account's invoices beside them. So every other foreign key that references a parent that a
query picks rows of (by conditions of its own) and walks on from joins the workload as a path
of its own, with :data:`SIBLING_SHARE` of the walking queries' calls, half a walked path's: a
guess, weighed against what its index costs like any other query. Only keys whose columns are
NOT NULL count: a row that must have a parent is one of its children, a nullable key (a
comment's author) is an optional reference. Keys of the tenant columns are left out: the rows
of one tenant are a scan, not a path.
"""
from __future__ import annotations

from ..catalog.names import qualified, quote_ident
from .query import Access, QueryShape, analyse
from .sources import Query

NAVIGATION_SHARE = 0.1
SIBLING_SHARE = NAVIGATION_SHARE / 2


def navigation_paths(queries: list[Query], shapes: list[QueryShape | None], schema,
                     tenant_columns=()) -> list[tuple[Query, QueryShape, set[int]]]:
    """The foreign keys the workload's queries join through, and the other foreign keys of the
    parents they walk from, with no index leading with them, each as a (Query, QueryShape,
    the numbers of the queries that walk it or its parent)."""
    found: dict[str, tuple[Query, set[int]]] = {}
    parents: dict[tuple[str, str], tuple[float, set[int]]] = {}
    for number, (query, shape) in enumerate(zip(queries, shapes)):
        if shape is None or shape.kind != "select":
            continue
        for access in shape.accesses:
            for fk in joined_keys(access, schema):
                if walks_from_parent(shape, fk):
                    calls, walkers = parents.get(fk.ref_key, (0.0, set()))
                    parents[fk.ref_key] = (calls + query.calls, walkers | {number})
                if is_unindexed(fk, schema):
                    add_path(found, fk, query.calls * NAVIGATION_SHARE, {number}, path_label)
    for parent, (calls, walkers) in parents.items():
        for fk in sibling_keys(parent, schema, tenant_columns):
            if path_query(fk) not in found:
                add_path(found, fk, calls * SIBLING_SHARE, walkers, sibling_label)
    return [(query, analyse(query.sql, schema), walkers) for query, walkers in found.values()]


def add_path(found: dict, fk, calls: float, walkers: set[int], label) -> None:
    """Count ``calls`` more of ``fk``'s path query in ``found``, walked by ``walkers``."""
    sql = path_query(fk)
    previous, known = found.get(sql, (None, set()))
    walkers = known | walkers
    total = (previous.calls if previous else 0.0) + calls
    found[sql] = (Query(sql, label(fk, walkers), total), walkers)


def joined_keys(access: Access, schema) -> list:
    """The foreign keys of ``access``'s table whose columns are all join keys of the access."""
    table = schema.table(access.key)
    joined = {key.column for key in access.joins if key.column}
    return [fk for fk in table.foreign_keys if set(fk.columns) <= joined]


def walks_from_parent(shape: QueryShape, fk) -> bool:
    """Whether the query picks rows of ``fk``'s parent by conditions of their own and goes on
    to their children; a query that picks children and joins their parent row walks the other
    way (the parent is looked up by its key) and says nothing about the parent's page."""
    return any(access.key == fk.ref_key and (access.conditions or access.any_of) for access in shape.accesses)


def is_unindexed(fk, schema) -> bool:
    """Whether no valid, whole-table index of ``fk``'s table leads with its columns."""
    return fk.covering_index(schema.table(fk.table_key).indexes) is None


def sibling_keys(parent: tuple[str, str], schema, tenant_columns=()) -> list:
    """The unindexed foreign keys of every table that reference ``parent`` with NOT NULL
    columns, but those of the tenant columns."""
    tenants = set(tenant_columns)
    return [fk for table in schema.objects.tables for fk in table.foreign_keys
            if fk.ref_key == parent and not set(fk.columns) <= tenants and is_unindexed(fk, schema)
            and belongs(table, fk)]


def belongs(table, fk) -> bool:
    """Whether every row of ``table`` has a parent through ``fk`` (its columns are NOT NULL):
    a child the parent's page lists, not an optional reference such as a comment's author."""
    nullable = {column.name for column in table.columns if column.nullable}
    return not nullable & set(fk.columns)


def path_query(fk) -> str:
    """``SELECT 1 FROM child WHERE fk columns = $n``: the rows that reference one parent."""
    conditions = " AND ".join(f"{quote_ident(column)} = ${position}"
                              for position, column in enumerate(fk.columns, start=1))
    return f"SELECT 1 FROM {qualified(fk.schema, fk.table)} WHERE {conditions}"


def path_label(fk, walkers: set[int]) -> str:
    numbers = ", ".join(str(n + 1) for n in sorted(walkers))
    plural = "ies" if len(walkers) > 1 else "y"
    return (f"the rows of {fk.table} that reference one {fk.ref_table} ({fk.name}), the path "
            f"quer{plural} {numbers} join{'' if len(walkers) > 1 else 's'} through")


def sibling_label(fk, walkers: set[int]) -> str:
    numbers = ", ".join(str(n + 1) for n in sorted(walkers))
    plural = "ies" if len(walkers) > 1 else "y"
    return (f"the rows of {fk.table} that reference one {fk.ref_table} ({fk.name}), beside the "
            f"rows quer{plural} {numbers} walk{'' if len(walkers) > 1 else 's'} to from {fk.ref_table}")
