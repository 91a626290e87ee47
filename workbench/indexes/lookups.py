"""The foreign-key lookups a DELETE fires, as queries of the workload in their own right.

Deleting a row makes PostgreSQL look up the rows that reference it in every referencing
table (to cascade, to set them null, or to refuse). The lookup runs in a trigger: EXPLAIN
shows it only as trigger time, and the planner costs nothing for it. Without an index leading
with the referencing columns, every deleted row scans the referencing table, and a purge of a
few thousand rows takes minutes.

So each such lookup joins the workload as the query it is, ``SELECT 1 FROM child WHERE
parent_id = $1``, run once per deleted row: its calls are the DELETE's calls times the rows
the planner expects it to delete. It is costed, chosen for and measured like any other query,
and its label says which DELETE fires it. The DELETE itself is measured too, trigger time
included. Referencing tables that already have such an index are left out.
"""
from __future__ import annotations

from ..catalog.names import qualified, quote_ident
from ..errors import WorkbenchError
from ..plans import explain
from .query import QueryShape, analyse
from .sources import Query
from .writes import rows_written


def foreign_key_lookups(conn, queries: list[Query], shapes: list[QueryShape | None],
                        schema) -> list[tuple[Query, QueryShape, set[int]]]:
    """The lookups the workload's DELETE statements fire on referencing tables with no index
    for them, each as a (Query, QueryShape, the numbers of the DELETEs that fire it)."""
    found: dict[str, tuple[Query, QueryShape, set[int]]] = {}
    for number, (query, shape) in enumerate(zip(queries, shapes)):
        if shape is None or shape.kind != "delete" or not shape.accesses:
            continue
        rows = deleted_rows(conn, query)
        if not rows:
            continue
        for fk in schema.referenced_by(shape.accesses[0].key):
            child = schema.table((fk.schema, fk.table))
            if fk.covering_index(child.indexes) is not None:
                continue
            lookup = lookup_query(fk, number, query, rows)
            previous = found.get(lookup.sql)
            calls = lookup.calls + (previous[0].calls if previous else 0.0)
            label = previous[0].label if previous else lookup.label
            fired_by = (previous[2] if previous else set()) | {number}
            found[lookup.sql] = (Query(lookup.sql, label, calls), analyse(lookup.sql, schema), fired_by)
    return list(found.values())


def deleted_rows(conn, query: Query) -> float:
    """The rows the planner expects ``query`` (a DELETE) to delete (0 when it cannot be planned)."""
    try:
        return rows_written(explain(conn, query.sql, params=query.params))
    except WorkbenchError:
        return 0.0


def lookup_query(fk, number: int, query: Query, rows: float) -> Query:
    """``SELECT 1 FROM child WHERE fk columns = $n``, run ``calls × rows`` times."""
    conditions = " AND ".join(f"{quote_ident(column)} = ${position}"
                              for position, column in enumerate(fk.columns, start=1))
    sql = f"SELECT 1 FROM {qualified(fk.schema, fk.table)} WHERE {conditions}"
    label = (f"foreign-key lookup fired by query {number + 1} ({query.title}): rows of {fk.table} "
             f"referencing a deleted {fk.ref_table} ({fk.name})")
    return Query(sql, label, query.calls * max(rows, 1.0))
