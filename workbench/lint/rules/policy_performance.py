"""Performance rules about Row Level Security policies: per-row calls, overlapping
permissive policies, and policy filters no index supports."""
from __future__ import annotations

from collections import defaultdict

from ...catalog import Policy, Table
from ..index_shape import leads_with
from ..partition_fixes import index_on
from ..policy_fixes import recreate_policy, with_expressions
from ..policy_sql import filtered_columns, per_row_calls, wrap_per_row_calls
from ..registry import rule

from .policies import OWN_POLICIES

COMMANDS = ("SELECT", "INSERT", "UPDATE", "DELETE")


@rule("auth_rls_initplan", level="warn", categories=("performance",),
      summary="A policy evaluates auth.uid(), auth.jwt() or current_setting() for every row",
      why="A function call in a policy expression is evaluated for every row the query "
          "touches. Wrapped in a scalar sub-select, `(SELECT auth.uid())`, PostgreSQL runs it "
          "once per statement (an InitPlan) and compares a constant: on large tables that is "
          "many times faster. The functions are listed in `per_row_functions`.",
      fix="Re-create the policy with each call wrapped: `(SELECT auth.uid())`.",
      partitions=OWN_POLICIES)
def auth_rls_initplan(ctx):
    functions = ctx.config.per_row_functions
    for table in ctx.all_tables:
        for policy in table.policies:
            calls = per_row_calls(policy.using, functions) + per_row_calls(policy.with_check, functions)
            if calls:
                names = ", ".join(dict.fromkeys(f"{c}()" for c in calls))
                yield ctx.finding(f"policy {policy.name} calls {names} for every row; "
                                  "(SELECT …) would call it once", table=table, name=policy.name,
                                  kind="policy", remediation=_wrapped(table, policy, functions))


def _wrapped(table: Table, policy: Policy, functions):
    wrap = [wrap_per_row_calls(e, functions) if e else None for e in (policy.using, policy.with_check)]
    return recreate_policy(table, policy, with_expressions(policy, *wrap),
                           f"Evaluate the auth calls of policy {policy.name} once per statement",
                           "A scalar sub-select is evaluated once (an InitPlan), not per row.")


@rule("multiple_permissive_policies", level="warn", categories=("performance",),
      summary="Several permissive policies apply to one role and command",
      why="Permissive policies are OR-ed: every one of them is evaluated for every row, so "
          "two policies for the same role and command cost twice, and the combined rule is "
          "harder to review than one policy that says it all.",
      fix="Merge them into one policy whose expression ORs the conditions (or make the "
          "extra ones RESTRICTIVE if they are meant to narrow access).",
      partitions=OWN_POLICIES + " Queries through a parent meet the parent's policies only, "
                 "so a parent's and a partition's policies never add up.")
def multiple_permissive_policies(ctx):
    for table in ctx.all_tables:
        for role, overlaps in sorted(_overlaps(table).items()):
            text = "; ".join(f"{cmd}: {', '.join(names)}" for cmd, names in overlaps)
            yield ctx.finding(f"role {role} has several permissive policies per command ({text})",
                              table=table, name=f"role {role}", kind="policy", detail=text)


def _overlaps(table: Table) -> dict[str, list[tuple[str, list[str]]]]:
    permissive = [p for p in table.policies if p.permissive]
    roles = sorted({r for p in permissive for r in p.roles})
    found: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for role in roles:
        for command in COMMANDS:
            names = [p.name for p in permissive if p.command in (command, "ALL")
                     and (role in p.roles or "public" in p.roles)]
            if len(names) > 1:
                found[role].append((command, names))
    return found


@rule("rls_policy_column_unindexed", level="warn", categories=("performance",),
      summary="A policy filters on a column no index leads with",
      why="A policy's USING expression is added to every query on the table. When it compares "
          "a column (`user_id = (SELECT auth.uid())`, `org_id IN (…)`) that no index starts "
          "with, each query by an API user scans the whole table before the policy filters it.",
      fix="`CREATE INDEX CONCURRENTLY … (column)` (or put the column first in an existing "
          "composite index); on a partitioned table, `CREATE INDEX … ON ONLY` it, then "
          "`CONCURRENTLY` on each partition, attached.",
      partitions=OWN_POLICIES + " A partitioned parent's policies are served by an index "
                 "on the parent or, failing that, on every partition (what a query through the "
                 "parent scans); the draft indexes the parent, building and attaching an index "
                 "on each partition. A partition's own policies are served by its own or "
                 "attached indexes; an inheritance child's by its own (indexes are not "
                 "inherited).")
def rls_policy_column_unindexed(ctx):
    for table in ctx.all_tables:
        names = {c.name for c in table.columns}
        for column in sorted(_policy_columns(table) & names):
            if not ctx.scope.throughout(table, lambda t: _leads(t, column)):
                yield ctx.finding(f"policies filter on {column}, which no index leads with",
                                  table=table, column=column, kind="column",
                                  remediation=index_on(ctx.scope, table, [column],
                                                       "Let the policy filter use an index."))


def _leads(table: Table, column: str) -> bool:
    return any(leads_with(i, column) for i in table.indexes)


def _policy_columns(table: Table) -> set[str]:
    found = set()
    for policy in table.policies:
        found |= filtered_columns(policy.using)
    return found
