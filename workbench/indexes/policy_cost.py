"""When a Row Level Security policy is what makes a query slow, say so, with the measured cost.

Two shapes of policy cost a query dearly when the planner can only apply them row by row:

- a per-row call: ``user_id = auth.uid()`` (or ``auth.jwt()``, ``current_setting(…)``)
  evaluated as a filter on every row a scan reads, because no index leads with ``user_id``;
- a membership sub-select: ``org_id IN (SELECT … WHERE user_id = auth.uid())``, which the
  planner keeps as a filter over a (hashed) SubPlan and never turns into an index condition.

A policy is read with pglast; the measured plan (as the tenant) shows whether its filter ran
on a scan that read many rows to keep few. The note gives that scan's rows, the time as the
tenant before, and after with the recommended indexes (or what to change in the policy
when no index helps).
"""
from __future__ import annotations

from pglast import ast, enums
from pglast.visitors import Skip, Visitor

from ..errors import WorkbenchError
from ..plans.words import ms
from .policies import filtering, using_tree

AUTH_CALLS = ("uid", "jwt", "role", "current_setting")
PLAN_MARKS = ("request.jwt", "auth.uid", "auth.jwt", "auth.role", "current_setting")
MIN_ROWS = 1000
MIN_DISCARDED = 0.5


class _Shape(Visitor):
    """The per-row calls (outside sub-selects) and sub-selects of a USING expression."""

    def __init__(self):
        self.calls: list[str] = []
        self.sub_select = False

    def visit_SubLink(self, ancestors, node):
        if node.subLinkType in (enums.SubLinkType.ANY_SUBLINK, enums.SubLinkType.EXISTS_SUBLINK):
            self.sub_select = True
        return Skip

    def visit_FuncCall(self, ancestors, node):
        names = [n.sval for n in node.funcname]
        if names[-1] in AUTH_CALLS and (len(names) == 1 or names[0] in ("auth", "pg_catalog")):
            self.calls.append(".".join(names) + "()")


def policy_shape(policy) -> _Shape:
    """What in ``policy`` can cost per row (see the module docstring)."""
    shape = _Shape()
    shape(using_tree(policy))
    return shape


def slow_scan(plan, table):
    """The scan of ``table`` in ``plan`` that filtered many rows to keep few (None if none)."""
    for node in plan.nodes if plan is not None else ():
        if node.relation != table.name or node.schema not in (None, table.schema) or not node.filter:
            continue
        kept, removed = node.actual_rows or 0, node.rows_removed_by_filter or 0
        examined = (kept + removed) * (node.loops or 1)
        if examined >= MIN_ROWS and removed >= MIN_DISCARDED * (kept + removed):
            return node, int(examined), int(kept * (node.loops or 1))
    return None


def costly_part(policy, node) -> str | None:
    """What of ``policy`` the scan ``node`` evaluates on each row, in words (None: nothing)."""
    shape = policy_shape(policy)
    if shape.sub_select and "SubPlan" in node.filter:
        return "checks its membership sub-select on each row (a filter: no index can apply it)"
    if shape.calls and any(mark in node.filter for mark in PLAN_MARKS):
        return f"calls {', '.join(dict.fromkeys(shape.calls))} on each row"
    return None


def one_line(text: str) -> str:
    return " ".join(text.split())


def timing(comparison, fixed: bool) -> str:
    """The measured time as that tenant, and with the recommended indexes when they fix it."""
    before = comparison.before.ms
    after = comparison.after.ms if comparison.after else None
    if before is None:
        return "not timed"
    if fixed and after is not None:
        return f"{ms(before)}; {ms(after)} with the recommended indexes"
    return ms(before)


def remedy(policy, fixed: bool, indexes: list[str]) -> str:
    """What the recommended indexes do about it, or what to change in the policy."""
    if fixed and indexes:
        return f"with {', '.join(indexes)} the scan reads only the tenant's rows"
    if policy_shape(policy).sub_select:
        return ("no index helps while the policy tests membership with IN (SELECT …): "
                "write it as tenant_column = ANY (ARRAY(SELECT …)) so the tenant column can be an "
                "index condition")
    return "wrap the call as (SELECT auth.uid()) so it runs once per query, not once per row"


def policy_notes(schema, role: str, kind: str, comparisons, names: dict[str, str]) -> list[str]:
    """One note per policy that makes the query slow for some tenant (``names``: index name in
    the measured plans -> recommended index name)."""
    notes: dict[tuple, str] = {}
    for comparison in sorted(comparisons, key=lambda c: -(c.before.ms or 0)):
        for key, note in comparison_notes(schema, role, kind, comparison, names):
            notes.setdefault(key, note)
    return list(notes.values())


def comparison_notes(schema, role: str, kind: str, comparison, names: dict[str, str]) -> list[tuple]:
    """((table, policy), note) for each policy the measured plan before shows to be costly."""
    notes = []
    for table in tables_of(schema, comparison.before.plan):
        found = slow_scan(comparison.before.plan, table)
        if found is None:
            continue
        node, examined, kept = found
        for policy in filtering(table, role, kind):
            part = costly_part(policy, node)
            if part is None:
                continue
            after = comparison.after.plan if comparison.after else None
            indexes = [names[n] for n in (after.indexes_used() if after else ()) if n in names]
            fixed = bool(indexes) and slow_scan(after, table) is None
            notes.append(((table.key, policy.name),
                          f"policy {policy.name} on {table.schema}.{table.name} makes it slow: "
                          f"USING {one_line(policy.using)} {part}; as the {comparison.sample.label} the "
                          f"{node.node_type} reads {examined:,} rows to keep {kept:,} "
                          f"({timing(comparison, fixed)}); {remedy(policy, fixed, indexes)}"))
    return notes


def tables_of(schema, plan) -> list:
    """The tables with Row Level Security that ``plan`` scans."""
    found = {}
    for node in plan.nodes if plan is not None else ():
        if node.relation and node.schema:
            try:
                table = schema.table((node.schema, node.relation))
            except WorkbenchError:  # a relation outside the snapshot (a catalog's)
                continue
            if table.rls_enabled:
                found[table.key] = table
    return list(found.values())
