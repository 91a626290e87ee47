"""The workload's tables whose visibility map is mostly unset.

VACUUM marks a page all-visible once every transaction can see all of its rows; until then an
index-only scan visits the table for each row of that page, and the planner prices it so
(``pg_class.relallvisible``). After a bulk load (a restore, an import, a fresh copy)
autovacuum marks the pages within minutes on a live server. Advised before that, a covering
index looks, and times, little better than its twin without INCLUDE: summing 20 of 200
accounts' movements (400,000 rows, PostgreSQL 15) took 22.7 ms with ``(account_id) INCLUDE
(amount)`` while a transaction left open during the load had kept VACUUM from marking the
pages, 5.4 ms once they were marked, and 18.8 ms with ``(account_id)``.

So the advice reads, for each table of the workload, the share of its pages that VACUUM or
ANALYZE last found all-visible. A table of at least :data:`MIN_PAGES` pages with less than
:data:`STALE_SHARE` of them is named in the advice's notes, and its indexes are not challenged
by their smaller twins (:mod:`.picks`): the timings would be against the INCLUDE.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..catalog.names import qualified
from ..session import connection_of, read_only

MIN_PAGES = 128  # 1 MB: a smaller table's heap visits cost little
STALE_SHARE = 0.5

VISIBILITY = """
SELECT n.nspname, c.relname, c.relpages, c.relallvisible
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE (n.nspname, c.relname) IN (SELECT * FROM unnest(%s::text[], %s::text[]))
  AND c.relkind IN ('r', 'm') AND c.relpages >= %s AND c.relallvisible < c.relpages * %s
ORDER BY c.relpages DESC
"""


@dataclass(frozen=True)
class Unvacuumed:
    """A table with ``all_visible`` of its ``pages`` marked all-visible, as last counted."""

    schema: str
    table: str
    pages: int
    all_visible: int

    @property
    def table_key(self) -> tuple[str, str]:
        return (self.schema, self.table)

    @property
    def share(self) -> float:
        return self.all_visible / self.pages if self.pages else 1.0

    def note(self) -> str:
        """What this means for the advice, and what to do."""
        name = qualified(self.schema, self.table)
        return (f"{name}: {self.share:.0%} of its {self.pages:,} pages are all-visible (not vacuumed since a "
                f"bulk load, or a long transaction held VACUUM back), so index-only scans visit the table and "
                f"covering indexes look less worth than they will be: VACUUM {name}, then advise again")

    def to_dict(self) -> dict:
        return {"table": qualified(self.schema, self.table), "pages": self.pages,
                "all_visible_share": round(self.share, 3)}


def unvacuumed(target, tables: list[tuple[str, str]]) -> list[Unvacuumed]:
    """Those of ``tables`` (schema, name) with a mostly unset visibility map, biggest first."""
    if not tables:
        return []
    conn = connection_of(target)
    with read_only(conn):
        rows = conn.execute(VISIBILITY, [[s for s, _ in tables], [t for _, t in tables],
                                         MIN_PAGES, STALE_SHARE]).fetchall()
    return [Unvacuumed(schema, table, int(pages), int(visible)) for schema, table, pages, visible in rows]
