"""SQL text for each operation: one function per kind of op, every identifier quoted."""
from __future__ import annotations

from functools import singledispatch

from . import ops
from .sqlparts import dollar_quoted, idents, literal, qualified, quote_ident, roles_sql


@singledispatch
def render(op) -> str:
    """The SQL of ``op`` (one or more statements, each ending with ``;``)."""
    raise TypeError(f"no SQL for {type(op).__name__}")


def _table(op) -> str:
    return qualified(op.schema, op.table)


def column_sql(column: ops.ColumnDef) -> str:
    """A column definition as in ``CREATE TABLE`` or ``ADD COLUMN``."""
    parts = [quote_ident(column.name), column.type]
    if column.identity:
        parts.append(f"GENERATED {column.identity.upper()} AS IDENTITY")
    if column.default is not None:
        parts.append(f"DEFAULT {column.default}")
    if column.not_null:
        parts.append("NOT NULL")
    if column.primary_key:
        parts.append("PRIMARY KEY")
    if column.references is not None:
        parts.append(reference_sql(column.references))
    return " ".join(parts)


def reference_sql(ref: ops.Reference) -> str:
    text = f"REFERENCES {qualified(ref.schema, ref.table)} ({idents(ref.columns)})"
    return text + (f" ON DELETE {ref.on_delete}" if ref.on_delete else "")


@render.register
def _(op: ops.CreateTable) -> str:
    body = ",\n".join(f"    {column_sql(c)}" for c in op.columns)
    sql = f"CREATE TABLE {qualified(op.schema, op.name)} (\n{body}\n);"
    if op.comment:
        sql += f"\nCOMMENT ON TABLE {qualified(op.schema, op.name)} IS {literal(op.comment)};"
    return sql


@render.register
def _(op: ops.DropTable) -> str:
    return f"DROP TABLE {qualified(op.schema, op.name)};"


@render.register
def _(op: ops.RenameTable) -> str:
    return f"ALTER TABLE {qualified(op.schema, op.old)} RENAME TO {quote_ident(op.new)};"


@render.register
def _(op: ops.AddColumn) -> str:
    return f"ALTER TABLE {_table(op)} ADD COLUMN {column_sql(op.column)};"


@render.register
def _(op: ops.DropColumn) -> str:
    return f"ALTER TABLE {_table(op)} DROP COLUMN {quote_ident(op.column.name)};"


@render.register
def _(op: ops.RenameColumn) -> str:
    return (f"ALTER TABLE {_table(op)} RENAME COLUMN {quote_ident(op.old)} "
            f"TO {quote_ident(op.new)};")


@render.register
def _(op: ops.AlterColumnType) -> str:
    using = f" USING {op.using}" if op.using else ""
    return f"ALTER TABLE {_table(op)} ALTER COLUMN {quote_ident(op.column)} TYPE {op.type}{using};"


@render.register
def _(op: ops.SetNotNull) -> str:
    action = "SET" if op.not_null else "DROP"
    return f"ALTER TABLE {_table(op)} ALTER COLUMN {quote_ident(op.column)} {action} NOT NULL;"


@render.register
def _(op: ops.SetDefault) -> str:
    action = "DROP DEFAULT" if op.default is None else f"SET DEFAULT {op.default}"
    return f"ALTER TABLE {_table(op)} ALTER COLUMN {quote_ident(op.column)} {action};"


@render.register
def _(op: ops.Backfill) -> str:
    column = quote_ident(op.column)
    return f"UPDATE {_table(op)} SET {column} = {op.value} WHERE {column} IS NULL;"


def _not_valid(op) -> str:
    return " NOT VALID" if op.not_valid else ""


@render.register
def _(op: ops.AddCheck) -> str:
    return (f"ALTER TABLE {_table(op)} ADD CONSTRAINT {quote_ident(op.name)} "
            f"CHECK ({op.condition}){_not_valid(op)};")


@render.register
def _(op: ops.AddForeignKey) -> str:
    return (f"ALTER TABLE {_table(op)} ADD CONSTRAINT {quote_ident(op.name)} "
            f"FOREIGN KEY ({idents(op.columns)}) {reference_sql(op.references)}{_not_valid(op)};")


@render.register
def _(op: ops.AddUnique) -> str:
    return (f"ALTER TABLE {_table(op)} ADD CONSTRAINT {quote_ident(op.name)} "
            f"UNIQUE USING INDEX {quote_ident(op.index)};")


@render.register
def _(op: ops.ValidateConstraint) -> str:
    return f"ALTER TABLE {_table(op)} VALIDATE CONSTRAINT {quote_ident(op.name)};"


@render.register
def _(op: ops.DropConstraint) -> str:
    return f"ALTER TABLE {_table(op)} DROP CONSTRAINT {quote_ident(op.name)};"


@render.register
def _(op: ops.CreateIndex) -> str:
    head = "CREATE UNIQUE INDEX" if op.unique else "CREATE INDEX"
    head += " CONCURRENTLY" if op.concurrently else ""
    method = f" USING {quote_ident(op.method)}" if op.method else ""
    keys = ", ".join(k.sql if isinstance(k, ops.IndexKey) else quote_ident(k) for k in op.keys)
    sql = f"{head} {quote_ident(op.name)} ON {_table(op)}{method} ({keys})"
    if op.include:
        sql += f" INCLUDE ({idents(op.include)})"
    if op.where:
        sql += f" WHERE {op.where}"
    return sql + ";"


@render.register
def _(op: ops.DropIndex) -> str:
    how = "DROP INDEX CONCURRENTLY" if op.concurrently else "DROP INDEX"
    return f"{how} IF EXISTS {qualified(op.schema, op.name)};"


@render.register
def _(op: ops.CreateExtension) -> str:
    return f"CREATE EXTENSION IF NOT EXISTS {quote_ident(op.name)};"


@render.register
def _(op: ops.SetRowSecurity) -> str:
    action = "ENABLE" if op.enabled else "DISABLE"
    return f"ALTER TABLE {_table(op)} {action} ROW LEVEL SECURITY;"


@render.register
def _(op: ops.CreatePolicy) -> str:
    sql = (f"CREATE POLICY {quote_ident(op.name)} ON {_table(op)}\n"
           f"    AS {'PERMISSIVE' if op.permissive else 'RESTRICTIVE'} FOR {op.command} "
           f"TO {roles_sql(op.roles)}")
    if op.using is not None:
        sql += f"\n    USING ({op.using})"
    if op.with_check is not None:
        sql += f"\n    WITH CHECK ({op.with_check})"
    return sql + ";"


@render.register
def _(op: ops.DropPolicy) -> str:
    return f"DROP POLICY {quote_ident(op.policy.name)} ON {_table(op.policy)};"


@render.register
def _(op: ops.AlterPolicy) -> str:
    sql = f"ALTER POLICY {quote_ident(op.name)} ON {_table(op)}"
    if op.using is not None:
        sql += f"\n    USING ({op.using})"
    if op.with_check is not None:
        sql += f"\n    WITH CHECK ({op.with_check})"
    return sql + ";"


def _function_name(function: ops.CreateFunction) -> str:
    return f"{qualified(function.schema, function.name)}()"


@render.register
def _(op: ops.CreateFunction) -> str:
    security = " SECURITY DEFINER" if op.security_definer else ""
    sql = (f"CREATE FUNCTION {_function_name(op)} RETURNS {op.returns}\n"
           f"    LANGUAGE {quote_ident(op.language)} {op.volatility}{security}\n"
           f"    SET search_path = {literal(op.search_path)}\n"
           f"AS {dollar_quoted(op.body)};")
    if op.execute_roles:
        sql += (f"\nREVOKE EXECUTE ON FUNCTION {_function_name(op)} FROM PUBLIC;"
                f"\nGRANT EXECUTE ON FUNCTION {_function_name(op)} TO {roles_sql(op.execute_roles)};")
    return sql


@render.register
def _(op: ops.DropFunction) -> str:
    return f"DROP FUNCTION {_function_name(op.function)};"


@render.register
def _(op: ops.CreateTrigger) -> str:
    return (f"CREATE TRIGGER {quote_ident(op.name)} {op.timing} {' OR '.join(op.events)} "
            f"ON {_table(op)}\n    FOR EACH ROW EXECUTE FUNCTION "
            f"{qualified(op.function_schema, op.function_name)}();")


@render.register
def _(op: ops.DropTrigger) -> str:
    return f"DROP TRIGGER {quote_ident(op.trigger.name)} ON {_table(op.trigger)};"


@render.register
def _(op: ops.Grant) -> str:
    verb, word = ("REVOKE", "FROM") if op.revoke else ("GRANT", "TO")
    return f"{verb} {', '.join(op.privileges)} ON {_table(op)} {word} {roles_sql(op.roles)};"
