"""Naming conventions. Off by default (teams name things their own way): turn them on with
``enable = ["naming_snake_case", …]`` in ``[tool.workbench.lint]``."""
from __future__ import annotations

from ...catalog import Index, Table
from ..convention_fixes import rename_column, rename_index, rename_table
from ..identifiers import fit, is_snake_case, relation_names, snake_case
from ..index_shape import shape_of
from ..registry import rule


@rule("naming_snake_case", level="info", categories=("convention",), enabled=False,
      summary="A table or column name is not snake_case",
      why="Names with capitals, spaces or punctuation must be double-quoted in every query "
          "forever, and clients disagree on how to map them; snake_case names never need "
          "quotes.",
      fix="Rename to the snake_case form (the draft renames; code using the name must follow).",
      partitions="Every table's own name is checked, partitions' included (a partition can be "
                 "queried by name). A column is checked on the table that declares it: a "
                 "partition's columns and those an inheritance child takes from its parent "
                 "are left to the parent (renaming there renames them everywhere).")
def naming_snake_case(ctx):
    for table in ctx.all_tables:
        taken = relation_names(ctx.schema, table.schema)
        if not is_snake_case(table.name):
            new = snake_case(table.name)
            draft = rename_table(table, new, "Names that never need quotes.") if new not in taken else None
            yield ctx.finding(f"table name {table.name!r} is not snake_case ({new})", table=table,
                              remediation=draft)
        yield from _columns(ctx, table)


def _columns(ctx, table: Table):
    names = {c.name for c in table.columns}
    inherited = ctx.scope.inherited_columns(table)
    for column in table.columns:
        if column.name not in inherited and not is_snake_case(column.name):
            new = snake_case(column.name)
            draft = None if new in names else rename_column(table, column.name, new,
                                                            "Names that never need quotes.")
            yield ctx.finding(f"column name {column.name!r} is not snake_case ({new})",
                              table=table, column=column.name, remediation=draft)


@rule("naming_fk_column_suffix", level="info", categories=("convention",), enabled=False,
      summary="A single-column foreign key's column does not end in _id",
      why="`customer_id` tells every reader it holds a key; `customer` or `created_by` reads "
          "like the thing itself and invites joins on the wrong column.",
      fix="Rename the column to `<name>_id` (the draft renames).",
      partitions="A key is checked on the table that declares its column: never on partitions "
                 "(every column is the parent's), and on an inheritance child only for "
                 "columns of its own; a column taken from a parent can only be renamed there, "
                 "where it is reported when the parent's own key uses it.")
def naming_fk_column_suffix(ctx):
    for table in ctx.tables:
        pk = table.primary_key.columns if table.primary_key else ()
        names = {c.name for c in table.columns}
        inherited = ctx.scope.inherited_columns(table)
        for fk in table.foreign_keys:
            column = fk.columns[0]
            if len(fk.columns) != 1 or column.endswith("_id") or column in pk \
                    or column in inherited:
                continue
            new = fit(f"{column}_id")
            draft = None if new in names else rename_column(table, column, new, "Key columns "
                                                            "say they are keys.")
            yield ctx.finding(f"foreign key column {column} does not end in _id", table=table,
                              column=column, name=fk.name, kind="column", remediation=draft)


def expected_index_name(pattern: str, index: Index) -> str | None:
    """``pattern`` filled for ``index`` (None for expression indexes)."""
    columns = [k.target for k in shape_of(index).keys]
    if any(c not in index.columns for c in columns):
        return None
    return fit(pattern.format(table=index.table, columns="_".join(columns)))


@rule("naming_index_pattern", level="info", categories=("convention",), enabled=False,
      summary="An index name does not follow the team's pattern",
      why="Predictable index names (`index_name_pattern`, by default `idx_{table}_{columns}`) "
          "make plans, migrations and monitoring readable, and collisions between "
          "hand-written migrations unlikely. Indexes behind constraints are left out.",
      fix="Rename the index (`ALTER INDEX … RENAME TO …`: instant, no rebuild).",
      partitions="Indexes of partitioned parents, partitions and inheritance children are all "
                 "checked, with `{table}` the table the index is on, except the copies "
                 "attached to a parent's index on its partitions (PostgreSQL names them; the "
                 "parent's index is checked).")
def naming_index_pattern(ctx):
    for table in ctx.all_tables:
        taken = relation_names(ctx.schema, table.schema)
        for index in table.indexes:
            expected = expected_index_name(ctx.config.index_name_pattern, index)
            if index.constraint or index.partition_of or expected is None \
                    or index.name == expected:
                continue
            draft = None if expected in taken else rename_index(index.schema, index.name,
                                                                expected, "Predictable names.")
            yield ctx.finding(f"index {index.name} should be named {expected}", table=table,
                              name=index.name, kind="index", remediation=draft)
