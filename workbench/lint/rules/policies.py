"""Security rules about what policies say: always true, no WITH CHECK, user-editable metadata."""
from __future__ import annotations

from ...catalog import Policy, Table
from ..policy_fixes import recreate_policy, sibling_policy, with_expressions
from ..policy_sql import is_always_true, reads_user_metadata, replace_strings
from ..registry import rule

WRITES_ROWS = ("INSERT", "UPDATE", "ALL")
TOUCHES_ROWS = ("UPDATE", "DELETE", "ALL")
METADATA_SWAP = {"user_metadata": "app_metadata", "raw_user_meta_data": "raw_app_meta_data"}
OWN_POLICIES = ("Policies are never inherited: each is checked on the table it is defined on, "
                "a partitioned or inheritance parent, a partition or a child alike.")


def _for_api(ctx, policy: Policy) -> bool:
    return bool(set(policy.roles) & (set(ctx.config.api_roles) | {"public"}))


def _policies(ctx):
    for table in ctx.all_tables:
        for policy in table.policies:
            yield table, policy


@rule("rls_policy_always_true", level="warn", categories=("security",),
      summary="A permissive write policy is always true",
      why="`USING (true)` on UPDATE, DELETE or ALL lets every API user change or delete every "
          "row, and `WITH CHECK (true)` (or an UPDATE/ALL policy whose USING is true and has no "
          "WITH CHECK) lets them write any row, including rows of other tenants. Reading "
          "everything (`SELECT … USING (true)`) can be intended and is not reported.",
      fix="Scope the policy to the user's rows (`user_id = (SELECT auth.uid())`, "
          "`org_id IN (SELECT …)`); the draft uses the expression the schema's other tables "
          "use for that command when there is one.",
      partitions=OWN_POLICIES + " The draft for a partition or child takes its parent's "
                 "policy for the command when the parent has one.")
def rls_policy_always_true(ctx):
    for table, policy in _policies(ctx):
        if not policy.permissive or not _for_api(ctx, policy):
            continue
        problems = _always_true(policy)
        if problems:
            yield ctx.finding(f"policy {policy.name} ({policy.command}) {' and '.join(problems)}",
                              table=table, name=policy.name, kind="policy",
                              remediation=_scoped_draft(ctx, table, policy))


def _always_true(policy: Policy) -> list[str]:
    problems = []
    if policy.command in TOUCHES_ROWS and is_always_true(policy.using):
        problems.append("lets every row be changed (USING true)")
    check = policy.with_check if policy.with_check else (
        policy.using if policy.command in ("UPDATE", "ALL") else None)
    if policy.command in WRITES_ROWS and is_always_true(check):
        problems.append("lets any row be written (WITH CHECK true)")
    return problems


def _scoped_draft(ctx, table: Table, policy: Policy):
    model = sibling_policy(ctx.scope, table, policy.command)
    if model is None or (model.using, model.with_check) == (policy.using, policy.with_check):
        return None
    new = with_expressions(policy, model.using if policy.command != "INSERT" else None,
                           model.with_check)
    return recreate_policy(table, policy, new, f"Scope policy {policy.name} to the user's rows",
                           "An always-true write policy opens every row to every user.",
                           notes=(f"expressions taken from the schema's {model.command} convention",))


@rule("rls_policy_missing_with_check", level="info", categories=("security",),
      summary="An INSERT or UPDATE policy has no WITH CHECK",
      why="An INSERT policy without WITH CHECK admits no row at all (a silent bug). An UPDATE "
          "policy without WITH CHECK re-uses its USING expression for the new row: correct, "
          "but easy to break when USING is later widened; saying it explicitly keeps the "
          "intent reviewable.",
      fix="Add `WITH CHECK (…)`: for UPDATE the same expression as USING, for INSERT the "
          "expression of the table's SELECT policy for the same roles.",
      partitions=OWN_POLICIES)
def rls_policy_missing_with_check(ctx):
    for table, policy in _policies(ctx):
        if policy.command not in ("INSERT", "UPDATE") or policy.with_check:
            continue
        check = policy.using if policy.command == "UPDATE" else _select_expression(table, policy)
        draft = recreate_policy(table, policy, with_expressions(policy, policy.using, check),
                                f"Add WITH CHECK to policy {policy.name}",
                                "State which rows may be written.") if check else None
        effect = "admits no row" if policy.command == "INSERT" else "re-uses USING for new rows"
        yield ctx.finding(f"policy {policy.name} ({policy.command}) has no WITH CHECK: it {effect}",
                          table=table, name=policy.name, kind="policy", remediation=draft)


def _select_expression(table: Table, policy: Policy) -> str | None:
    return next((p.using for p in table.policies
                 if p.command in ("SELECT", "ALL") and p.roles == policy.roles and p.using), None)


@rule("rls_references_user_metadata", level="error", categories=("security",),
      summary="A policy reads user-editable JWT metadata",
      why="`user_metadata` in the JWT (`raw_user_meta_data` in `auth.users`) is written by the "
          "user through the auth API: a policy that trusts it (a role, an organization id) "
          "lets any user grant themselves access by editing their own profile.",
      fix="Decide access on data only the server writes: `app_metadata` / "
          "`raw_app_meta_data`, or a membership table; the draft swaps the metadata key.",
      partitions=OWN_POLICIES)
def rls_references_user_metadata(ctx):
    for table, policy in _policies(ctx):
        if reads_user_metadata(policy.using) or reads_user_metadata(policy.with_check):
            yield ctx.finding(f"policy {policy.name} decides access on user-editable metadata",
                              table=table, name=policy.name, kind="policy",
                              remediation=_metadata_draft(table, policy))


def _metadata_draft(table: Table, policy: Policy):
    swap = [replace_strings(e, METADATA_SWAP) if e else None for e in (policy.using, policy.with_check)]
    return recreate_policy(table, policy, with_expressions(policy, *swap),
                           f"Read app metadata in policy {policy.name}",
                           "Only the server can write app metadata.",
                           notes=("the application must keep the claim in app_metadata",))
