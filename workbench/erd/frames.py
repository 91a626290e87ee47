"""What a diagram drew, as DataFrames: its tables with their badges, and the findings it shows."""
from __future__ import annotations

from .html_label import badge

TABLES = ["schema", "table", "badge", "columns_shown", "highlights"]
FINDINGS = ["level", "rule", "schema", "table", "column", "message"]


def tables_frame(selection, marks):
    """One row per drawn table: its badge, columns shown out of all, and highlight rules."""
    import pandas as pd

    rows = []
    for table in selection.tables:
        rules = dict.fromkeys(f.rule for f in marks.of_table(table.key))
        rows.append({"schema": table.schema, "table": table.name, "badge": badge(table, False),
                     "columns_shown": f"{len(selection.shown(table))}/{len(table.columns)}",
                     "highlights": ", ".join(rules)})
    return pd.DataFrame(rows, columns=TABLES)


def findings_frame(selection, marks):
    """One row per finding highlighted on a drawn table or column."""
    import pandas as pd

    rows = [{"level": f.level, "rule": f.rule, "schema": f.schema, "table": f.table,
             "column": f.column or "", "message": f.message}
            for table in selection.tables for f in marks.of_table(table.key)]
    return pd.DataFrame(rows, columns=FINDINGS)
