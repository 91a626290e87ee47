"""Remediation Drafts for Row Level Security: policy rewrites (their SQL written by the
builders' policy ops), and policies modelled on the ones the table's siblings already have
(the schema's own convention)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Iterable

from ..catalog import Policy, Table
from ..drafts import Draft
from ..drafts.builders.compose import draft_of
from ..drafts.builders.ops import CreatePolicy, DropPolicy, SetRowSecurity
from .identifiers import fit
from .policy_sql import column_refs, parse_expression, render
from .scope import Scope


@dataclass(frozen=True)
class PolicySpec:
    """A policy to create: the parts of ``CREATE POLICY``."""

    name: str
    command: str
    permissive: bool = True
    roles: tuple[str, ...] = ("public",)
    using: str | None = None
    with_check: str | None = None

    @classmethod
    def of(cls, policy: Policy) -> PolicySpec:
        return cls(policy.name, policy.command, policy.permissive, policy.roles,
                   policy.using, policy.with_check)


def policy_op(table: Table, spec: PolicySpec) -> CreatePolicy:
    """``spec`` on ``table`` as the builders' ``CREATE POLICY`` (the one place its SQL is
    written), its expressions tidied."""
    return CreatePolicy(table.schema, table.name, spec.name, spec.command, spec.roles,
                        tidy(spec.using), tidy(spec.with_check), spec.permissive)


def tidy(expression: str | None) -> str | None:
    """The expression as the parser prints it: no redundant parentheses (None when empty)."""
    return render(parse_expression(expression)) if expression else None


def recreate_policy(table: Table, policy: Policy, new: PolicySpec, title: str, why: str,
                    notes: tuple[str, ...] = ()) -> Draft:
    """DROP POLICY + CREATE POLICY with the new form; down puts the old one back."""
    before, after = policy_op(table, PolicySpec.of(policy)), policy_op(table, new)
    return draft_of(title, [DropPolicy(before), after], down_ops=[DropPolicy(after), before],
                    rationale=why, notes=notes)


def create_policies(table: Table, specs: Iterable[PolicySpec], title: str, why: str,
                    enable: bool = False, notes: tuple[str, ...] = ()) -> Draft:
    """Create ``specs`` on ``table`` (after enabling RLS when ``enable``); down drops them."""
    ops = [SetRowSecurity(table.schema, table.name)] if enable else []
    ops += [policy_op(table, s) for s in specs]
    return draft_of(title, ops, rationale=why, notes=notes)


# --- the schema's convention: policies modelled on sibling tables ---------------------------

def _suffix(policy: Policy) -> str:
    """The policy's name without its table's name in front: ``select_member``."""
    prefix = f"{policy.table}_"
    return policy.name[len(prefix):] if policy.name.startswith(prefix) else policy.name


COMMAND_ORDER = {"SELECT": 0, "INSERT": 1, "UPDATE": 2, "DELETE": 3, "ALL": 4}


def _shape(table: Table) -> tuple:
    return tuple(sorted((COMMAND_ORDER[p.command], p.command, p.permissive, p.roles, p.using or "", p.with_check or "",
                         _suffix(p)) for p in table.policies))


def sibling_policies(scope: Scope, table: Table) -> list[PolicySpec]:
    """Policies for ``table`` like those most of its schema's tables have, renamed for it;
    empty when there is no such convention or it needs columns ``table`` lacks."""
    siblings = [t for t in scope.tables
                if t.schema == table.schema and t.key != table.key and t.policies]
    shapes = Counter(_shape(t) for t in siblings)
    if not shapes:
        return []
    shape, count = min(shapes.items(), key=lambda item: (-item[1], item[0]))
    if count < 2 or not _fits(table, shape):
        return []
    taken = {p.name for p in table.policies}
    specs = []
    for _, command, permissive, roles, using, check, suffix in shape:
        name = _free(fit(f"{table.name}_{suffix}"), taken)
        taken.add(name)
        specs.append(PolicySpec(name, command, permissive, roles, using or None, check or None))
    return specs


def parent_policies(scope: Scope, table: Table) -> list[PolicySpec]:
    """The policies of the parent of a partition or inheritance child, renamed for it: the
    rules its rows follow when read through the parent (empty without a parent's policies)."""
    taken = {p.name for p in table.policies}
    specs = []
    for parent in scope.parents_of(table):
        for policy in parent.policies:
            name = _free(fit(f"{table.name}_{_suffix(policy)}"), taken)
            taken.add(name)
            specs.append(replace(PolicySpec.of(policy), name=name))
    return specs


def model_policies(scope: Scope, table: Table) -> list[PolicySpec]:
    """The policies ``table`` should have: its parent's (a partition or inheritance child),
    else the schema's convention."""
    return parent_policies(scope, table) or sibling_policies(scope, table)


def sibling_policy(scope: Scope, table: Table, command: str) -> PolicySpec | None:
    """The model's policy for one command (its ``ALL`` policy if that is how it works)."""
    specs = model_policies(scope, table)
    return (next((s for s in specs if s.command == command), None)
            or next((s for s in specs if s.command == "ALL"), None))


def _fits(table: Table, shape: tuple) -> bool:
    columns = {c.name for c in table.columns}
    used = set()
    for *_, using, check, _ in shape:
        used |= column_refs(using) | column_refs(check)
    return used <= columns


def _free(name: str, taken: set[str]) -> str:
    number = 1
    candidate = name
    while candidate in taken:
        number += 1
        candidate = fit(name, 63 - len(str(number))) + str(number)
    return candidate


def with_expressions(policy: Policy, using: str | None, with_check: str | None) -> PolicySpec:
    """``policy`` as a spec with new expressions."""
    return replace(PolicySpec.of(policy), using=using, with_check=with_check)
