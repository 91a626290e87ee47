"""Row Level Security policies: ``ALTER POLICY`` where it can say the change (roles, USING,
WITH CHECK), else dropped and created again; recreated too when a column or function they
use changes type or is recreated."""
from __future__ import annotations

from ..catalog.model import Policy, Table
from ..drafts.builders.ops import CreatePolicy, DropPolicy
from . import phases
from .deps import columns_of, functions_of, relations_of, resolve
from .sqltext import quote_ident, same_sql

ALL_KINDS = ("table", "partitioned", "view", "matview", "foreign")


def plan(p) -> None:
    """Create, drop, alter and recreate policies."""
    for table in p.added_tables(ALL_KINDS):
        for policy in table.policies:
            create(p, policy)
    for old, new in p.kept_tables(ALL_KINDS):
        was = {x.name: x for x in old.policies}
        now = {x.name: x for x in new.policies}
        for name in sorted(was.keys() - now.keys()):
            drop(p, was[name])
        for name in sorted(now.keys()):
            if name not in was:
                create(p, now[name])
            elif must_recreate(p, was[name], now[name]):
                drop(p, was[name])
                create(p, now[name])
            elif differs(was[name], now[name]):
                alter(p, was[name], now[name])


def differs(a: Policy, b: Policy) -> bool:
    """Whether roles, ``USING`` or ``WITH CHECK`` differ."""
    return (sorted(a.roles) != sorted(b.roles) or not same_sql(a.using, b.using)
            or not same_sql(a.with_check, b.with_check))


def must_recreate(p, old: Policy, new: Policy) -> bool:
    """Whether ``ALTER POLICY`` cannot make the change, or what the policy uses is rebuilt."""
    if (old.command, old.permissive) != (new.command, new.permissive):
        return True
    if (old.using is not None and new.using is None) or \
            (old.with_check is not None and new.with_check is None):
        return True
    return uses_rebuilt(p, old)


def uses_rebuilt(p, policy: Policy) -> bool:
    """Whether the policy reads a table that is dropped, a column that changes type or goes,
    or a recreated function."""
    if not (p.retyped_columns or p.dropped_columns or p.recreated_functions or p.gone_tables):
        return False
    texts = [t for t in (policy.using, policy.with_check) if t]
    columns = set().union(*(columns_of(t) for t in texts)) if texts else set()
    tables = {(policy.schema, policy.table)}
    for text in texts:
        tables |= {resolve(r, p.old_tables) for r in relations_of(text)}
    if any(key is not None and p.is_gone(key) for key in tables):
        return True  # a table it reads is dropped (and made again)
    touched = p.retyped_columns | p.dropped_columns
    if any(key in tables and name in columns for key, name in touched):
        return True
    called = set().union(*(functions_of(t) for t in texts)) if texts else set()
    return any(name in {c[1] for c in called} for _, name in p.recreated_functions)


def as_op(policy: Policy) -> CreatePolicy:
    """The policy as the drafting builders' ``CreatePolicy``."""
    return CreatePolicy(policy.schema, policy.table, policy.name, policy.command, policy.roles,
                        policy.using, policy.with_check, policy.permissive)


def create(p, policy: Policy) -> None:
    """``CREATE POLICY``."""
    p.emit(phases.CREATE_POLICY, as_op(policy).up_sql(), f"{policy.schema}.{policy.table}.{policy.name}")


def drop(p, policy: Policy) -> None:
    """``DROP POLICY``."""
    p.dropped.add(("policy", policy.schema, policy.table, policy.name))
    p.emit(phases.DROP_POLICY, DropPolicy(as_op(policy)).up_sql(),
           f"{policy.schema}.{policy.table}.{policy.name}")


def alter(p, old: Policy, new: Policy) -> None:
    """``ALTER POLICY`` with what changed: roles, ``USING``, ``WITH CHECK``."""
    parts = [f"ALTER POLICY {quote_ident(new.name)} ON {Table(new.schema, new.table, '', '').qualname}"]
    if sorted(old.roles) != sorted(new.roles):
        parts.append(f"TO {', '.join(role_sql(r) for r in new.roles)}")
    if not same_sql(old.using, new.using):
        parts.append(f"USING ({new.using})")
    if not same_sql(old.with_check, new.with_check):
        parts.append(f"WITH CHECK ({new.with_check})")
    p.emit(phases.CREATE_POLICY, "\n    ".join(parts) + ";", f"{new.schema}.{new.table}.{new.name}")


def role_sql(role: str) -> str:
    """A role as a policy names it (``PUBLIC`` and ``CURRENT_USER`` bare)."""
    return role if role.lower() in ("public", "current_user", "session_user", "current_role") \
        else quote_ident(role)
