"""``create_table``: a new table with the team's conventions applied.

By default: an ``id`` primary key (uuid or bigint identity, as the schema does), the tenant
column with its foreign key and index, the audit columns, the ``updated_at`` trigger, the
grants the schema's tables have, Row Level Security and the tenant policies.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from ..draft import Draft, DraftError
from .compose import draft_of
from .conventions import Conventions, conventions_of
from .names import index_name, relation_names, suffixed
from .ops import (ColumnDef, CreateFunction, CreateIndex, CreateTable, CreateTrigger, DropFunction,
                  Grant, Op, SetRowSecurity)
from .policies import template_policies
from .sqlparts import qualified, quote_ident

TENANCY_POLICIES = {"org": "org_member", "user": "user_owned", None: None}


def column(name: str, type: str, *, not_null: bool = False, default: str | None = None,
           references=None) -> ColumnDef:
    """A column for :func:`create_table` / :func:`add_column` (``type`` and ``default`` are SQL)."""
    return ColumnDef(name, type, not_null=not_null, default=default, references=references)


def as_column(item) -> ColumnDef:
    """A ColumnDef from a ColumnDef or a ``(name, type)`` pair."""
    if isinstance(item, ColumnDef):
        return item
    if isinstance(item, (tuple, list)) and len(item) == 2:
        return ColumnDef(*item)
    raise DraftError(f"a column must be column(name, type, …) or (name, type), not {item!r}")


def id_column(style: str) -> ColumnDef:
    if style == "bigint":
        return ColumnDef("id", "bigint", identity="by default", primary_key=True)
    if style == "uuid":
        return ColumnDef("id", "uuid", default="gen_random_uuid()", primary_key=True)
    raise DraftError(f"unknown id style {style!r}", hint="'uuid', 'bigint' or None for no id")


def tenant_column(tenancy: str | None, conv: Conventions) -> ColumnDef | None:
    if tenancy == "org":
        return ColumnDef(conv.org_column, conv.org_type, not_null=True, references=conv.org_target)
    if tenancy == "user":
        return ColumnDef(conv.user_column, conv.user_type, not_null=True,
                         default=conv.user_default, references=conv.user_reference)
    if tenancy is None:
        return None
    raise DraftError(f"unknown tenancy {tenancy!r}", hint="'org', 'user' or None")


def table_columns(columns, tenancy, conv: Conventions, id_style, audit: bool) -> tuple[ColumnDef, ...]:
    """id, tenant column, the given columns, then the audit columns (none twice)."""
    given = [as_column(c) for c in columns]
    front = [id_column(id_style)] if id_style else []
    tenant = tenant_column(tenancy, conv)
    front += [tenant] if tenant else []
    back = list(conv.audit_columns) if audit else []
    taken = {c.name for c in given}
    chosen = [c for c in front if c.name not in taken] + given
    taken |= {c.name for c in chosen}
    return tuple(chosen + [c for c in back if c.name not in taken])


def fk_indexes(schema: str, name: str, columns: Iterable[ColumnDef], taken: set[str]) -> list[CreateIndex]:
    """A plain index per referencing column (the table is new: nothing to block)."""
    made = []
    for col in columns:
        if col.references is not None:
            index = index_name(name, [col.name], taken)
            taken.add(index)
            made.append(CreateIndex(schema, name, index, (col.name,), concurrently=False))
    return made


def updated_at_ops(schema: str, name: str, conv: Conventions,
                       columns) -> tuple[list[Op], list[Op]]:
    """``(function ops, trigger ops)``: the trigger, and the function when the schema lacks one."""
    col = conv.updated_at_column
    if not col or col not in {c.name for c in columns}:
        return [], []
    made: list[Op] = []
    target = conv.updated_at_function
    if target is None:
        target = (schema, conv.updated_at_function_name)
        made.append(CreateFunction(schema, target[1], "trigger", "plpgsql",
                                   f"\nBEGIN\n    NEW.{quote_ident(col)} := pg_catalog.now();\n"
                                   "    RETURN NEW;\nEND\n"))
    trigger = CreateTrigger(schema, name, suffixed(name, "_set_updated_at"), *target)
    return made, [trigger]


def membership_helpers(conv: Conventions, template: str | None) -> tuple[Conventions, list[Op]]:
    """The SECURITY DEFINER helpers an org template needs, made from the memberships table."""
    made: list[Op] = []
    wanted = {"org_member": ("member",), "org_admin": ("member", "admin")}.get(template, ())
    for kind in wanted:
        field = f"{kind}_helper"
        if getattr(conv, field) is None and conv.memberships is not None:
            function = helper_function(conv, admin=kind == "admin")
            made.append(function)
            conv = replace(conv, **{field: (function.schema, function.name)})
    return conv, made


def helper_function(conv: Conventions, admin: bool) -> CreateFunction:
    """``user_org_ids()`` (or ``user_admin_org_ids()``): the orgs of the signed-in user."""
    where = f"m.{quote_ident(conv.user_column)} = (SELECT auth.uid())"
    if admin:
        where += " AND m.role IN ('owner', 'admin')"
    body = (f"\n    SELECT m.{quote_ident(conv.org_column)} FROM {qualified(*conv.memberships)} "
            f"AS m WHERE {where}\n")
    name = "user_admin_org_ids" if admin else "user_org_ids"
    return CreateFunction(conv.schema, name, f"SETOF {conv.org_type}", "sql", body, "STABLE",
                          security_definer=True, execute_roles=conv.policy_roles)


def create_table(schema: str, name: str, columns=(), *, tenancy: str | None = "org",
                 policies: str | None | bool = True, snapshot=None,
                 conventions: Conventions | None = None, config=None, id_style: str | None | bool = True,
                 audit: bool = True, trigger: bool = True, rls: bool = True,
                 comment: str | None = None, title: str | None = None,
                 rationale: str = "", **policy_options) -> Draft:
    """A Draft creating ``schema.name`` with the team's conventions (see the module doc).

    ``tenancy``: ``"org"``, ``"user"`` or None. ``policies``: a template name (``org_member``,
    ``org_admin``, ``user_owned``, ``public_read``, ``custom``), ``True`` for the tenancy's
    usual one, or None. ``id_style``: ``"uuid"``, ``"bigint"``, ``True`` (as the schema does)
    or None. ``trigger``: the ``updated_at`` trigger; ``audit``: the audit columns.
    """
    conv = conventions or conventions_of(snapshot, schema, config)
    template = TENANCY_POLICIES.get(tenancy) if policies is True else (policies or None)
    id_style = conv.id_style if id_style is True else (id_style or None)
    cols = table_columns(columns, tenancy, conv, id_style, audit)
    conv, helpers = membership_helpers(conv, template if rls else None)
    functions, triggers = updated_at_ops(schema, name, conv, cols) if trigger else ([], [])
    table = CreateTable(schema, name, cols, comment)
    ops: list[Op] = [*functions, *helpers, table,
                     *fk_indexes(schema, name, cols, relation_names(snapshot, schema) | {name}),
                     *triggers, *(Grant(schema, name, privs, (role,)) for role, privs in conv.grants)]
    if rls:
        ops.append(SetRowSecurity(schema, name))
        ops += template_policies(schema, name, template, conv, **policy_options) if template else []
    down = [table.reverse(), *(DropFunction(f) for f in reversed([*functions, *helpers]))]
    notes = _notes(tenancy, template, rls, functions + helpers)
    return draft_of(title or f"Create table {schema}.{name}", ops, down_ops=down,
                    rationale=rationale or f"A new table following the conventions of {schema}.",
                    notes=notes)


def _notes(tenancy, template, rls, created) -> list[str]:
    notes = [f"creates {qualified(f.schema, f.name)}() too (the schema had none)" for f in created]
    if rls and not template:
        notes.append("Row Level Security is on without policies: API roles see no rows yet")
    if tenancy is None:
        notes.append("no tenant column: every tenant shares these rows")
    return notes
