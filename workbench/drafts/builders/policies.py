"""Row Level Security from templates: one policy per command, WITH CHECK on INSERT and UPDATE.

Templates: ``user_owned`` (``user_id = (SELECT auth.uid())``), ``org_member`` (the org column
in a SECURITY DEFINER membership helper), ``org_admin`` (members read, admins write),
``public_read`` (everyone reads, signed-in users write) and ``custom`` (your USING / WITH CHECK).
"""
from __future__ import annotations

from ..draft import Draft, DraftError
from .compose import draft_of
from .conventions import Conventions, conventions_of
from .names import suffixed
from .ops import AlterPolicy, CreatePolicy, DropPolicy, SetRowSecurity
from .sqlparts import qualified, quote_ident

UID = "(SELECT auth.uid())"
COMMANDS = ("SELECT", "INSERT", "UPDATE", "DELETE")


def per_command(schema: str, table: str, suffix: str, read: str | None, write: str | None,
                roles=("authenticated",), read_roles=None, commands=COMMANDS) -> list[CreatePolicy]:
    """One policy per command: SELECT uses ``read``; INSERT, UPDATE, DELETE use ``write``
    (``WITH CHECK`` on INSERT and UPDATE)."""
    made = []
    for command in commands:
        expr = read if command == "SELECT" else write
        using = expr if command in ("SELECT", "UPDATE", "DELETE") else None
        check = expr if command in ("INSERT", "UPDATE") else None
        who = tuple(read_roles or roles) if command == "SELECT" else tuple(roles)
        name = suffixed(table, f"_{command.lower()}_{suffix}")
        made.append(CreatePolicy(schema, table, name, command, who, using, check))
    return made


def in_helper(column: str, helper: tuple[str, str]) -> str:
    return f"{quote_ident(column)} IN (SELECT {qualified(*helper)}())"


def user_owned(schema, table, conv: Conventions, column=None, **_) -> list[CreatePolicy]:
    expr = f"{quote_ident(column or conv.user_column)} = {UID}"
    return per_command(schema, table, "own", expr, expr, conv.policy_roles)


def org_member(schema, table, conv: Conventions, column=None, **_) -> list[CreatePolicy]:
    expr = in_helper(column or conv.org_column, _needs(conv.member_helper, "membership"))
    return per_command(schema, table, "member", expr, expr, conv.policy_roles)


def org_admin(schema, table, conv: Conventions, column=None, **_) -> list[CreatePolicy]:
    column = column or conv.org_column
    read = in_helper(column, _needs(conv.member_helper, "membership"))
    write = in_helper(column, _needs(conv.admin_helper, "admin membership"))
    return [*per_command(schema, table, "member", read, None, commands=("SELECT",),
                         roles=conv.policy_roles),
            *per_command(schema, table, "admin", None, write, conv.policy_roles,
                         commands=COMMANDS[1:])]


def public_read(schema, table, conv: Conventions, **_) -> list[CreatePolicy]:
    return per_command(schema, table, "public", "true", "true", ("authenticated",),
                       read_roles=("anon", "authenticated"))


def custom(schema, table, conv: Conventions, using=None, with_check=None, roles=None,
           commands=COMMANDS, suffix="custom", **_) -> list[CreatePolicy]:
    if using is None and with_check is None:
        raise DraftError("a custom policy needs a USING or WITH CHECK expression")
    made = []
    for policy in per_command(schema, table, suffix, using, using, roles or conv.policy_roles,
                              commands=commands):
        check = (with_check or using) if policy.command in ("INSERT", "UPDATE") else None
        using_ = (using or with_check) if policy.command != "INSERT" else None
        made.append(CreatePolicy(schema, table, policy.name, policy.command, policy.roles,
                                 using_, check))
    return made


TEMPLATES = {"user_owned": user_owned, "org_member": org_member, "org_admin": org_admin,
             "public_read": public_read, "custom": custom}


def _needs(helper, what: str) -> tuple[str, str]:
    if helper is None:
        raise DraftError(f"no {what} helper function in this schema",
                         hint="create the table with create_table(tenancy='org') (it adds the "
                              "helper when the schema has a memberships table), or pass "
                              "conventions with member_helper/admin_helper set")
    return helper


def template_policies(schema: str, table: str, template: str, conv: Conventions,
                      **options) -> list[CreatePolicy]:
    """The policies of ``template`` for ``schema.table``."""
    if template not in TEMPLATES:
        raise DraftError(f"unknown policy template {template!r}",
                         hint=f"one of {', '.join(TEMPLATES)}")
    return TEMPLATES[template](schema, table, conv, **options)


def rls_policies(schema: str, table: str, template: str = "org_member", *, snapshot=None,
                 conventions: Conventions | None = None, enable: bool | None = None,
                 config=None, **options) -> Draft:
    """Enable Row Level Security on ``schema.table`` (unless it is on already) and create the
    ``template``'s policies; down drops them (and disables RLS again if it enabled it)."""
    conv = conventions or conventions_of(snapshot, schema, config)
    if enable is None:
        enable = not _rls_enabled(snapshot, schema, table)
    ops = [SetRowSecurity(schema, table)] if enable else []
    ops += template_policies(schema, table, template, conv, **options)
    return draft_of(f"Row Level Security on {schema}.{table} ({template.replace('_', ' ')})", ops,
                    rationale=f"Each role sees and writes only its rows ({template} policies, "
                              "one per command).")


def _rls_enabled(snapshot, schema: str, table: str) -> bool:
    return snapshot is not None and snapshot.table((schema, table)).rls_enabled


def enable_rls(schema: str, table: str) -> Draft:
    """``ENABLE ROW LEVEL SECURITY`` (no policy: default deny; add policies with it)."""
    return draft_of(f"Enable Row Level Security on {schema}.{table}",
                    [SetRowSecurity(schema, table)])


def create_policy(schema: str, table: str, name: str, command: str = "ALL", *,
                  roles=("authenticated",), using: str | None = None,
                  with_check: str | None = None, permissive: bool = True) -> Draft:
    """One custom policy; down drops it."""
    policy = CreatePolicy(schema, table, name, command, tuple(roles), using, with_check, permissive)
    return draft_of(f"Policy {name} on {schema}.{table}", [policy])


def alter_policy(schema: str, table: str, name: str, *, using: str | None = None,
                 with_check: str | None = None, snapshot) -> Draft:
    """New USING / WITH CHECK for an existing policy; down restores the expressions the
    snapshot shows (the policy is re-created when ALTER POLICY could not undo it)."""
    old = next((p for p in snapshot.table((schema, table)).policies if p.name == name), None)
    if old is None:
        raise DraftError(f"no policy {name!r} on {schema}.{table}")
    title = f"Change policy {name} on {schema}.{table}"
    if (with_check is not None and old.with_check is None) or (using is not None and old.using is None):
        before = CreatePolicy(schema, table, name, old.command, old.roles, old.using,
                              old.with_check, old.permissive)
        after = CreatePolicy(schema, table, name, old.command, old.roles,
                             using if using is not None else old.using,
                             with_check if with_check is not None else old.with_check,
                             old.permissive)
        return draft_of(title, [DropPolicy(before), after], down_ops=[DropPolicy(after), before])
    return draft_of(title, [AlterPolicy(schema, table, name, using, with_check,
                                        old.using, old.with_check)])
