"""Where to start in a schema one has never seen: the tables the most others reference."""
from __future__ import annotations

from collections import defaultdict

from .options import AUDIT_COLUMNS, TABLE_KINDS, as_tuple
from .relations import foreign_key_relationships, is_audit

CENTRAL_COLUMNS = ["schema", "table", "referenced_by", "references", "columns"]


def central_tables(schema, n: int = 10, *, schemas=None, hide_audit: bool = False,
                   audit_columns=AUDIT_COLUMNS):
    """DataFrame of the ``n`` most referenced tables: by how many other tables, then how many
    they reference. ``hide_audit`` ignores foreign keys on audit columns (``created_by`` …)."""
    import pandas as pd

    wanted = set(as_tuple(schemas)) or None
    tables = [t for t in schema.objects.tables
              if t.kind in TABLE_KINDS and (wanted is None or t.schema in wanted)]
    parents, children = defaultdict(set), defaultdict(set)
    for rel in foreign_key_relationships(tables):
        if rel.self_reference or (hide_audit and is_audit(rel, as_tuple(audit_columns))):
            continue
        parents[rel.child].add(rel.parent)
        children[rel.parent].add(rel.child)
    rows = [{"schema": t.schema, "table": t.name, "referenced_by": len(children[t.key]),
             "references": len(parents[t.key]), "columns": len(t.columns)} for t in tables]
    rows.sort(key=lambda r: (-r["referenced_by"], -r["references"], r["schema"], r["table"]))
    return pd.DataFrame(rows[:n], columns=CENTRAL_COLUMNS)
