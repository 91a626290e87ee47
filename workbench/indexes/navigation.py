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
"""
from __future__ import annotations

from ..catalog.names import qualified, quote_ident
from .query import Access, QueryShape, analyse
from .sources import Query

NAVIGATION_SHARE = 0.1


def navigation_paths(queries: list[Query], shapes: list[QueryShape | None],
                     schema) -> list[tuple[Query, QueryShape, set[int]]]:
    """The foreign keys the workload's queries join through with no index leading with them,
    each as a (Query, QueryShape, the numbers of the queries that walk it)."""
    found: dict[str, tuple[Query, set[int]]] = {}
    for number, (query, shape) in enumerate(zip(queries, shapes)):
        if shape is None or shape.kind != "select":
            continue
        for access in shape.accesses:
            for fk in walked_keys(access, schema):
                sql = path_query(fk)
                previous, walkers = found.get(sql, (None, set()))
                calls = (previous.calls if previous else 0.0) + query.calls * NAVIGATION_SHARE
                walkers = walkers | {number}
                found[sql] = (Query(sql, path_label(fk, walkers), calls), walkers)
    return [(query, analyse(query.sql, schema), walkers) for query, walkers in found.values()]


def walked_keys(access: Access, schema) -> list:
    """The foreign keys of ``access``'s table whose columns are all join keys of the access,
    and that no valid, whole-table index leads with."""
    table = schema.table(access.key)
    joined = {key.column for key in access.joins if key.column}
    return [fk for fk in table.foreign_keys
            if set(fk.columns) <= joined and fk.covering_index(table.indexes) is None]


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
