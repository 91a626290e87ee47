"""Security rules about Row Level Security being on, and policies existing, where needed."""
from __future__ import annotations

from ...catalog import Table
from ..policy_fixes import create_policies, model_policies, parent_policies, sibling_policy
from ..registry import rule

COMMANDS = ("SELECT", "INSERT", "UPDATE", "DELETE")
DIRECTLY = ("Row Level Security and policies are never inherited: a partitioned or "
            "inheritance parent's apply to queries through the parent, while a partition or "
            "child queried directly follows its own. ")


def _enable_draft(ctx, table: Table, why: str):
    """Enable RLS, adding its parent's policies, or the schema's usual ones, when the table
    has none."""
    specs = [] if table.policies else model_policies(ctx.scope, table)
    title = f"Enable Row Level Security on {table.name}"
    if specs:
        owner = "parent's" if _copies_parent(ctx, table) else "siblings'"
        title += f" with {len(specs)} policies like its {owner}"
    return create_policies(table, specs, title, why, enable=True)


def _copies_parent(ctx, table: Table) -> bool:
    """Whether a draft's policies are the parent's (else the sibling tables')."""
    return bool(parent_policies(ctx.scope, table))


def _model_note(ctx, table: Table) -> str:
    if _copies_parent(ctx, table):
        return "modelled on its parent's policies: check they fit"
    return "modelled on the schema's other tables: check they fit"


@rule("rls_disabled", level="error", categories=("security",),
      summary="Row Level Security is disabled on a table the API roles can reach",
      why="A table in an exposed schema that `anon` or `authenticated` (or PUBLIC) hold "
          "privileges on is readable and writable row by row through the API: with Row Level "
          "Security off, every signed-in user of every tenant sees and changes every row.",
      fix="`ALTER TABLE … ENABLE ROW LEVEL SECURITY`, together with the policies that grant "
          "each role its rows; the draft copies the policies the schema's other tables use "
          "when they follow one convention.",
      partitions=DIRECTLY + "So every table is checked, partitions and inheritance children "
                 "included; a partition or child is reported when the API roles hold a "
                 "privilege on it directly (one on the parent does not reach it), and the "
                 "draft copies its parent's policies.")
def rls_disabled(ctx):
    for table in ctx.all_tables:
        if table.rls_enabled or table.policies or not ctx.scope.is_exposed(table):
            continue
        roles = ", ".join(ctx.scope.api_grantees(table))
        yield ctx.finding(
            f"Row Level Security is disabled while {roles} may use the table: "
            "every row is open to them", table=table,
            remediation=_enable_draft(ctx, table, "Only the rows a policy grants should be "
                                      "visible through the API."))


@rule("policy_exists_rls_disabled", level="error", categories=("security",),
      summary="Policies exist but Row Level Security is disabled",
      why="Policies do nothing until Row Level Security is enabled on the table: the table "
          "looks protected in review, yet every role with a privilege sees every row.",
      fix="`ALTER TABLE … ENABLE ROW LEVEL SECURITY` (the down migration disables it again).",
      partitions=DIRECTLY + "So every table is checked, partitions and inheritance children "
                 "included: policies of a partition or child with Row Level Security off "
                 "are reported there, whatever its parent does.")
def policy_exists_rls_disabled(ctx):
    for table in ctx.all_tables:
        if table.policies and not table.rls_enabled:
            names = ", ".join(p.name for p in table.policies)
            yield ctx.finding(
                f"{len(table.policies)} policies ({names}) are ignored: Row Level Security is "
                "disabled", table=table,
                remediation=_enable_draft(ctx, table, "Make the existing policies take effect."))


@rule("rls_enabled_no_policy", level="warn", categories=("security",),
      summary="Row Level Security is enabled but the table has no policy",
      why="With Row Level Security on and no policy, nothing is visible or writable for the "
          "API roles (default deny): the application silently gets empty results, and the "
          "usual \"fix\" under pressure is to disable Row Level Security altogether.",
      fix="Create one policy per command for the roles that use the table; the draft copies "
          "the policies most of the schema's tables have, when they follow one convention.",
      partitions=DIRECTLY + "So every table is checked, partitions and inheritance children "
                 "included (when the API roles hold a privilege on them directly); the draft "
                 "for a partition or child copies its parent's policies.")
def rls_enabled_no_policy(ctx):
    for table in ctx.all_tables:
        if not table.rls_enabled or table.policies or not ctx.scope.api_grantees(table):
            continue
        specs = model_policies(ctx.scope, table)
        draft = create_policies(table, specs, f"Add {len(specs)} policies to {table.name}",
                                "Give each role its rows, as its parent or the schema's other "
                                "tables do.", notes=(_model_note(ctx, table),)) if specs else None
        roles = ", ".join(ctx.scope.api_grantees(table))
        yield ctx.finding(f"Row Level Security is enabled but no policy exists: {roles} see "
                          "no rows and can write none", table=table, remediation=draft)


@rule("rls_missing_command_policy", level="warn", categories=("security",),
      summary="A tenant table has policies, but none for some command the API roles may run",
      why="When a tenant table has policies for some commands only, the missing command is "
          "silently denied for everyone (or left to a broad policy added later in a hurry). "
          "Each command the API roles hold a privilege for should have a deliberate policy.",
      fix="Add a policy for each missing command (the draft copies the schema's convention), "
          "or revoke the privilege if the command is meant to be impossible.",
      partitions=DIRECTLY + "So every tenant table is checked, partitions and inheritance "
                 "children included, against the privileges the API roles hold on it "
                 "directly; the draft for a partition or child takes its parent's policy for "
                 "the command.")
def rls_missing_command_policy(ctx):
    for table in ctx.all_tables:
        if not (table.rls_enabled and table.policies and ctx.scope.is_tenant_table(table)):
            continue
        missing = _missing_commands(table, ctx.scope.api_privileges(table))
        if missing:
            yield ctx.finding(f"no policy for {', '.join(missing)} although the API roles hold "
                              "the privilege: those commands are denied to everyone",
                              table=table, detail=", ".join(missing),
                              remediation=_command_draft(ctx, table, missing))


def _missing_commands(table: Table, privileges: frozenset[str]) -> list[str]:
    covered = set()
    for policy in table.policies:
        if policy.permissive:
            covered |= set(COMMANDS) if policy.command == "ALL" else {policy.command}
    return [c for c in COMMANDS if c in privileges and c not in covered]


def _command_draft(ctx, table: Table, missing: list[str]):
    specs = [sibling_policy(ctx.scope, table, command) for command in missing]
    if not specs or None in specs or any(s.command == "ALL" for s in specs):
        return None
    return create_policies(table, specs, f"Add {', '.join(missing)} policies to {table.name}",
                           "Make every command the API roles may run a deliberate decision.",
                           notes=(_model_note(ctx, table),))
