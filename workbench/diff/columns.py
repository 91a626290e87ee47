"""Columns: added, dropped, and altered (type, default, NOT NULL, identity, generation,
collation)."""
from __future__ import annotations

from ..catalog.model import Column, Table
from . import phases
from .casts import same_type, type_change
from .deps import columns_of
from .sqltext import quote_ident, same_sql


def definition(column: Column) -> str:
    """The column as it appears in ``CREATE TABLE`` or ``ADD COLUMN``."""
    parts = [quote_ident(column.name), column.type]
    if column.collation:
        parts.append(f"COLLATE {quote_ident(column.collation)}")
    if column.generated is not None:
        kind = "VIRTUAL" if column.generated_kind == "virtual" else "STORED"
        parts.append(f"GENERATED ALWAYS AS ({column.generated}) {kind}")
    elif column.identity:
        parts.append(f"GENERATED {column.identity.upper()} AS IDENTITY")
    elif column.default is not None:
        parts.append(f"DEFAULT {column.default}")
    if not column.nullable:
        parts.append("NOT NULL")
    return " ".join(parts)


def plan_table(p, old: Table, new: Table) -> None:
    """The column changes of one table kept by the migration (partitions take their parent's,
    and so do inheritance children for the columns they inherit)."""
    if new.partition_of or old.partition_of:
        return
    inherited = inherited_columns(p, old, new)
    was = {c.name: c for c in old.columns if c.name not in inherited}
    now = {c.name: c for c in new.columns if c.name not in inherited}
    target = new.qualname
    for name in [c.name for c in old.columns if c.name in was and c.name not in now]:
        p.dropped_columns.add((old.key, name))
        p.emit(phases.DROP_COLUMN, f"ALTER TABLE {target} DROP COLUMN {quote_ident(name)};", target,
               destructive=f"drops column {old.schema}.{old.name}.{name} and its data")
    for column in [c for c in new.columns if c.name in now and c.name not in was]:
        add_column(p, new, column)
    kept = [c.name for c in new.columns if c.name in was and c.name in now]
    blocked = blocked_generated(p, [(was[n], now[n]) for n in kept])
    for name in kept:
        if name in blocked:
            regenerate(p, new, was[name], now[name], order=3)
        else:
            alter_column(p, new, was[name], now[name])
    if [c for c in old.columns if c.name in now] != [c for c in new.columns if c.name in was] and \
            [c.name for c in old.columns if c.name in now] != [c.name for c in new.columns if c.name in was]:
        p.note(f"{target}: the column order differs; PostgreSQL adds columns at the end, so the "
               "order is left as it is")


def blocked_generated(p, pairs) -> set[str]:
    """Generated columns that stay generated and read a column changing type or call a
    function made again: PostgreSQL refuses both under a generated column, so it is dropped
    before and added after (its values are derived: nothing is lost)."""
    retyped = {new.name for old, new in pairs if is_retyped(p, old, new)}
    return {new.name for old, new in pairs if old.generated is not None and new.generated is not None
            and (columns_of(old.generated) & retyped or p.calls_recreated_function(old.generated))}


def is_retyped(p, old: Column, new: Column) -> bool:
    """Whether the column's type or collation changes (not only its spelling)."""
    return (old.type, old.collation) != (new.type, new.collation) and not same_type(p, old.type, new.type)


def inherited_columns(p, old: Table, new: Table) -> set[str]:
    """The columns a table inherits from the parents it keeps (classic ``INHERITS``): what
    the parent's ``ALTER TABLE`` does reaches them."""
    found: set[str] = set()
    for parent in set(map(tuple, old.inherits)) & set(map(tuple, new.inherits)):
        for tables in (p.old_tables, p.new_tables):
            if parent in tables:
                found |= {c.name for c in tables[parent].columns}
    return found


def add_column(p, table: Table, column: Column) -> None:
    """``ADD COLUMN``, with a note when it cannot succeed on a table with rows."""
    target = table.qualname
    p.emit(phases.ALTER_COLUMN, f"ALTER TABLE {target} ADD COLUMN {definition(column)};", target)
    if not column.nullable and column.default is None and column.identity is None \
            and column.generated is None:
        p.note(f"{target}.{column.name} is added NOT NULL without a default: on a table with rows "
               "this fails; add a default or backfill first")


def alter_column(p, table: Table, old: Column, new: Column) -> None:
    """The ``ALTER COLUMN`` statements that take ``old`` to ``new``."""
    target, ref = table.qualname, quote_ident(new.name)
    alter = f"ALTER TABLE {target} ALTER COLUMN {ref}"
    if (old.generated, old.generated_kind) != (new.generated, new.generated_kind):
        if not generation(p, table, old, new):
            return
    if old.identity and new.identity and old.identity != new.identity:
        p.emit(phases.ALTER_COLUMN, f"{alter} SET GENERATED {new.identity.upper()};", target)
    elif old.identity and old.identity != new.identity:
        p.emit(phases.ALTER_COLUMN, f"{alter} DROP IDENTITY;", target)
    retyped = is_retyped(p, old, new)
    same_default = same_sql(old.default, new.default)
    if old.default is not None and not new.identity and (new.default is None or retyped):
        p.emit(phases.ALTER_COLUMN, f"{alter} DROP DEFAULT;", target)  # a default may not cast
    elif new.default is not None and same_default and p.calls_recreated_function(new.default):
        p.emit(phases.DROP_COLUMN, f"{alter} DROP DEFAULT;", target)  # before the function goes
        p.emit(phases.ALTER_COLUMN, f"{alter} SET DEFAULT {new.default};", target, order=2)
    if retyped:
        retype(p, table, old, new)
    if old.nullable != new.nullable:
        p.emit(phases.ALTER_COLUMN, f"{alter} {'DROP' if new.nullable else 'SET'} NOT NULL;", target, order=2)
    if new.default is not None and (not same_default or retyped and old.default is not None):
        p.emit(phases.ALTER_COLUMN, f"{alter} SET DEFAULT {new.default};", target, order=2)
    if new.identity and not old.identity:
        p.emit(phases.ALTER_COLUMN, f"{alter} ADD GENERATED {new.identity.upper()} AS IDENTITY;", target,
               order=2)


def retype(p, table: Table, old: Column, new: Column) -> None:
    """``ALTER COLUMN … TYPE`` with its ``USING``; views and policies reading it are recreated."""
    change = type_change(new.name, old.type, new.type)
    collate = f" COLLATE {quote_ident(new.collation)}" if new.collation else ""
    comment = f"\n    -- {change.comment}" if change.comment else ""
    using = f"{comment}\n    USING {change.using}" if change.using else ""
    sql = f"ALTER TABLE {table.qualname} ALTER COLUMN {quote_ident(new.name)} TYPE {new.type}{collate}{using};"
    p.retyped_columns.add((table.key, new.name))
    p.emit(phases.ALTER_COLUMN, sql, table.qualname, order=1,
           destructive=f"{table.schema}.{table.name}.{new.name}: {change.lossy}" if change.lossy else "")


def generation(p, table: Table, old: Column, new: Column) -> bool:
    """A change of what generates a column's values. A stored column becoming plain keeps its
    values (``DROP EXPRESSION``); a new expression of the same kind is ``SET EXPRESSION``
    from PostgreSQL 17; anything else drops the column and adds it again. Returns whether
    the column's other properties are left to alter."""
    alter = f"ALTER TABLE {table.qualname} ALTER COLUMN {quote_ident(new.name)}"
    if old.generated_kind == "stored" and new.generated is None:
        p.emit(phases.ALTER_COLUMN, f"{alter} DROP EXPRESSION;", table.qualname)
        return True
    if old.generated_kind == new.generated_kind and old.generated is not None and new.generated is not None \
            and p.after.server_version_num >= 170000:
        p.emit(phases.ALTER_COLUMN, f"{alter} SET EXPRESSION AS ({new.generated});", table.qualname)
        return True
    regenerate(p, table, old, new)
    return False


def regenerate(p, table: Table, old: Column, new: Column, *, order: int = 0) -> None:
    """A column dropped and added again with its new generation (added at ``order`` among
    the column changes: 3 is after every type change). A generated column's values are
    derived, so nothing is lost unless it becomes a plain one (it is then empty) or a plain
    one becomes generated (its values are replaced)."""
    target = table.qualname
    p.dropped_columns.add((table.key, new.name))
    where = f"{table.schema}.{table.name}.{old.name}"
    why = (f"drops the values of {where}, now generated" if old.generated is None else
           f"{where} is no longer generated: it is added again empty" if new.generated is None else "")
    p.emit(phases.DROP_COLUMN, f"ALTER TABLE {target} DROP COLUMN {quote_ident(old.name)};", target,
           destructive=why)
    p.emit(phases.ALTER_COLUMN, f"ALTER TABLE {target} ADD COLUMN {definition(new)};", target,
           order=order)
