"""Remediation Drafts for team conventions: a missing tenant column, an updated_at trigger,
and renames."""
from __future__ import annotations

from ..catalog import ForeignKey, Function, Schema, Table
from ..catalog.names import qualified, quote_ident
from ..drafts import Draft
from ..drafts.builders.ops import CreateIndex
from .fixes import new_index_name
from .identifiers import derived_name


def add_tenant_column(schema: Schema, table: Table, column: str, via: ForeignKey,
                      parent: Table) -> Draft:
    """Add the tenant column, fill it from ``parent`` through ``via``, make it NOT NULL when
    ``via`` is, reference the tenant like ``parent`` does, and index it."""
    col = quote_ident(column)
    kind = parent.column(column).type
    join = " AND ".join(f"p.{quote_ident(r)} = c.{quote_ident(k)}"
                        for k, r in zip(via.columns, via.ref_columns))
    up = [f"ALTER TABLE {table.qualname} ADD COLUMN {col} {kind};",
          f"UPDATE {table.qualname} AS c SET {col} = p.{col} FROM {parent.qualname} AS p "
          f"WHERE {join};"]
    if all(not table.column(k).nullable for k in via.columns):
        up.append(f"ALTER TABLE {table.qualname} ALTER COLUMN {col} SET NOT NULL;")
    up += _tenant_reference(table, column, parent)
    index = new_index_name(schema, table, [column])
    up.append(CreateIndex(table.schema, table.name, index, column, concurrently=False).up_sql())
    return Draft(f"Add {column} to {table.name}", "\n".join(up),
                 f"ALTER TABLE {table.qualname} DROP COLUMN {col};",
                 rationale=f"Carry the tenant on every row, filled from {parent.name} "
                           f"through {via.name}.",
                 notes=("then scope the table's policies on the new column directly",
                        "the UPDATE rewrites every row: plan it for a quiet moment on big tables"))


def _tenant_reference(table: Table, column: str, parent: Table) -> list[str]:
    """A foreign key on the new column, like ``parent``'s own on that column."""
    model = next((fk for fk in parent.foreign_keys if fk.columns == (column,)), None)
    if model is None:
        return []
    taken = {c.name for c in table.constraints}
    name = derived_name([table.name, column], "fkey", taken)
    return [f"ALTER TABLE {table.qualname} ADD CONSTRAINT {quote_ident(name)} {model.definition};"]


def updated_at_trigger(schema: Schema, table: Table, column: str, function_name: str) -> Draft:
    """A ``BEFORE UPDATE`` row trigger stamping ``column``, with a trigger function when the
    schema has none called ``function_name``."""
    name = derived_name([table.name], f"set_{column}", (t.name for t in table.triggers))
    function = _trigger_function(schema, table.schema, function_name)
    up, down = [], []
    if function is None:
        target = qualified(table.schema, function_name)
        up.append(_function_sql(target, column))
        down.append(f"DROP FUNCTION {target}();")
    else:
        target = qualified(function.schema, function.name)
    up.append(f"CREATE TRIGGER {quote_ident(name)} BEFORE UPDATE ON {table.qualname} "
              f"FOR EACH ROW EXECUTE FUNCTION {target}();")
    down.insert(0, f"DROP TRIGGER {quote_ident(name)} ON {table.qualname};")
    return Draft(f"Keep {table.name}.{column} current", "\n".join(up), "\n".join(down),
                 rationale=f"Stamp {column} on every update, in the database, whoever writes.")


def _trigger_function(schema: Schema, namespace: str, name: str) -> Function | None:
    found = [f for f in schema.objects.functions
             if f.name == name and f.returns == "trigger" and not f.argument_types]
    return next((f for f in found if f.schema == namespace), found[0] if found else None)


def _function_sql(target: str, column: str) -> str:
    return (f"CREATE FUNCTION {target}() RETURNS trigger LANGUAGE plpgsql SET search_path = '' "
            f"AS $function$\nBEGIN\n    NEW.{quote_ident(column)} := pg_catalog.now();\n"
            f"    RETURN NEW;\nEND\n$function$;")


def rename_table(table: Table, new: str, why: str) -> Draft:
    return Draft(f"Rename table {table.name} to {new}",
                 f"ALTER TABLE {table.qualname} RENAME TO {quote_ident(new)};",
                 f"ALTER TABLE {qualified(table.schema, new)} RENAME TO {quote_ident(table.name)};",
                 rationale=why, notes=("code and views naming the table must follow",))


def rename_column(table: Table, old: str, new: str, why: str) -> Draft:
    return Draft(f"Rename column {table.name}.{old} to {new}",
                 f"ALTER TABLE {table.qualname} RENAME COLUMN {quote_ident(old)} TO {quote_ident(new)};",
                 f"ALTER TABLE {table.qualname} RENAME COLUMN {quote_ident(new)} TO {quote_ident(old)};",
                 rationale=why, notes=("code naming the column must follow",))


def rename_index(namespace: str, old: str, new: str, why: str) -> Draft:
    return Draft(f"Rename index {old} to {new}",
                 f"ALTER INDEX {qualified(namespace, old)} RENAME TO {quote_ident(new)};",
                 f"ALTER INDEX {qualified(namespace, new)} RENAME TO {quote_ident(old)};",
                 rationale=why)
