"""Existing indexes the workload does not use: which could go, what the others weigh, and the
Draft that drops them.

An existing index on a table the workload reads is *unused* when no plan of the workload uses
it, neither with the indexes there are now nor with the recommended ones. Kept all the same:
indexes that back a constraint (primary key, unique, exclusion), one index covering each
foreign key (deleting or updating a referenced row looks it up, and ``workbench lint`` asks
for it; of two duplicates covering the same key, the smaller stays), invalid indexes (a
failed build is another problem) and the indexes of partitions, which come and go with
their partitioned index.

The drop is one Draft of its own, to review apart from the new indexes: up drops each index
``CONCURRENTLY``; down recreates each one from its definition (``pg_get_indexdef``), and its
comment.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..catalog import Index
from ..catalog.names import qualified
from ..drafts import Draft
from ..drafts.builders.indexes import CONCURRENT_NOTE
from ..drafts.builders.ops import DropIndex
from ..lint.fixes import concurrent_definition
from ..plans.words import size
from ..session import connection_of, read_only

INDEX_SCANS = """
SELECT schemaname, indexrelname, idx_scan FROM pg_stat_user_indexes
WHERE (schemaname, relname) IN (SELECT * FROM unnest(%s::text[], %s::text[]))
"""


@dataclass(frozen=True)
class Unused:
    """An existing index no plan of the workload uses, and its scans since the statistics
    were reset (``pg_stat_user_indexes.idx_scan``; None when unknown)."""

    index: Index
    scans: int | None = None

    @property
    def size_bytes(self) -> int:
        return self.index.size_bytes or 0


def used_names(plans) -> set[tuple[str | None, str]]:
    """(schema, index) of every index the ``plans`` use (schema None when the plan omits it)."""
    return {(node.schema, node.index) for plan in plans if plan is not None
            for node in plan.nodes if node.index}


def is_used(index: Index, used: set[tuple[str | None, str]]) -> bool:
    return (index.schema, index.name) in used or (None, index.name) in used


def workload_indexes(schema, tables) -> list[Index]:
    """The existing indexes of ``tables`` ((schema, table) pairs) in the snapshot."""
    return [index for key in dict.fromkeys(tables) for index in schema.table(key).indexes]


def droppable(schema, tables, used: set) -> list[Index]:
    """The existing indexes of ``tables`` that the workload does not use and that nothing else
    needs (see the module docstring)."""
    found = []
    for key in dict.fromkeys(tables):
        table = schema.table(key)
        candidates = [i for i in table.indexes if not needed(i) and not is_used(i, used)]
        keep = fk_keepers(table, [i for i in table.indexes if i not in candidates], candidates)
        found += [i for i in candidates if i not in keep]
    return found


def needed(index: Index) -> bool:
    """Whether an index stays whatever the workload does: a constraint's, invalid, a partition's."""
    return (index.primary or index.unique or index.constraint is not None or not index.valid
            or index.partition_of is not None)


def fk_keepers(table, kept: list[Index], candidates: list[Index]) -> set[Index]:
    """For each foreign key no kept index covers, the smallest candidate that covers it."""
    keepers: set[Index] = set()
    for fk in table.foreign_keys:
        if fk.covering_index([*kept, *keepers]) is not None:
            continue
        covering = [i for i in candidates if fk.covering_index([i]) is not None]
        if covering:
            keepers.add(min(covering, key=lambda i: (i.size_bytes or 0, i.name)))
    return keepers


def index_scans(target, tables) -> dict[tuple[str, str], int]:
    """``idx_scan`` of each index of ``tables``, keyed by (schema, index)."""
    tables = list(dict.fromkeys(tables))
    if not tables:
        return {}
    conn = connection_of(target)
    with read_only(conn):
        rows = conn.execute(INDEX_SCANS, [[t[0] for t in tables], [t[1] for t in tables]]).fetchall()
    return {(s, name): int(scans or 0) for s, name, scans in rows}


def kept_bytes(schema, tables, dropped: list[Unused]) -> int:
    """The size of the existing indexes of ``tables`` that stay (all but ``dropped``)."""
    gone = {u.index.key for u in dropped}
    return sum(i.size_bytes or 0 for i in workload_indexes(schema, tables) if i.key not in gone)


def drop_draft(unused: list[Unused]) -> Draft | None:
    """The Draft dropping the ``unused`` indexes (None when there are none)."""
    if not unused:
        return None
    up = "\n".join(DropIndex(u.index.schema, u.index.name).up_sql() for u in unused)
    down = "\n".join(restore_sql(u.index) for u in unused)
    lines = [f"No plan of the workload uses these {len(unused)} existing index(es), "
             f"{size(sum(u.size_bytes for u in unused))} in all; no constraint needs them and no "
             "foreign key loses its index."]
    lines += [unused_line(u) for u in unused]
    notes = [CONCURRENT_NOTE]
    if any(u.scans for u in unused):
        notes.append("some were scanned since the statistics were reset: queries outside the "
                     "workload may use them; check before dropping")
    title = f"Drop {len(unused)} unused index(es)" if len(unused) > 1 else \
        f"Drop unused index {unused[0].index.name} on {unused[0].index.table}"
    return Draft(title, up, down, rationale="\n".join(lines), notes=tuple(notes))


def unused_line(unused: Unused) -> str:
    index = unused.index
    scans = "scans unknown" if unused.scans is None else f"{unused.scans:,} scan(s) since the statistics were reset"
    return f"- {index.schema}.{index.name} on {index.table}: {size(index.size_bytes)}, {scans}"


def restore_sql(index: Index) -> str:
    """The index made again as it was: its definition (``CONCURRENTLY``) and its comment."""
    sql = concurrent_definition(index)
    if index.comment:
        from psycopg.sql import Literal

        sql += f"\nCOMMENT ON INDEX {qualified(index.schema, index.name)} IS {Literal(index.comment).as_string(None)};"
    return sql
