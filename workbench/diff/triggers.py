"""Triggers (a partition's copies of its parent's triggers come with the parent's)."""
from __future__ import annotations

from ..catalog.model import Table, Trigger
from . import phases
from .deps import columns_of
from .sqltext import quote_ident, same_sql

ENABLED = {"origin": "ENABLE", "disabled": "DISABLE", "replica": "ENABLE REPLICA",
           "always": "ENABLE ALWAYS"}


def plan(p) -> None:
    """Create, drop, recreate, enable and disable triggers."""
    for table in p.added_tables(("table", "partitioned", "view", "matview")):
        for trigger in own(table):
            create(p, table, trigger)
    for old, new in p.kept_tables(("table", "partitioned", "view", "matview")):
        rebuilt = new.key in p.recreate_views
        was = {t.name: t for t in own(old)}
        now = {t.name: t for t in own(new)}
        for name in sorted(was.keys() - now.keys()):
            if not rebuilt:
                drop(p, old, was[name])
        for name in sorted(now.keys()):
            if rebuilt or name not in was:
                create(p, new, now[name])
            elif must_recreate(p, new, was[name], now[name]):
                drop(p, old, was[name])
                create(p, new, now[name])
            elif was[name].enabled != now[name].enabled:
                enable(p, new, now[name])


def own(table: Table) -> list[Trigger]:
    """The triggers ``table`` declares itself (not a partition's copies)."""
    return [t for t in table.triggers if not t.inherited]


def must_recreate(p, table: Table, old: Trigger, new: Trigger) -> bool:
    """Whether a trigger must be dropped and created again (changed, or what it uses is)."""
    if not same_sql(old.definition, new.definition):
        return True
    if (new.function_schema, new.function_name) in p.recreated_functions \
            or p.calls_recreated_function(new.definition):
        return True
    touched = {name for key, name in p.retyped_columns | p.dropped_columns if key == table.key}
    return bool(touched) and bool(touched & columns_of(new.definition))


def create(p, table: Table, trigger: Trigger) -> None:
    """``CREATE TRIGGER``, then its enabled state when not the default."""
    p.emit(phases.CREATE_TRIGGER, trigger.definition, f"{table.qualname}.{trigger.name}")
    if trigger.enabled != "origin":
        enable(p, table, trigger)


def enable(p, table: Table, trigger: Trigger) -> None:
    """``ENABLE`` / ``DISABLE`` / ``ENABLE REPLICA`` / ``ENABLE ALWAYS TRIGGER``."""
    p.emit(phases.CREATE_TRIGGER, f"ALTER TABLE {table.qualname} {ENABLED[trigger.enabled]} TRIGGER "
           f"{quote_ident(trigger.name)};", f"{table.qualname}.{trigger.name}", order=1)


def drop(p, table: Table, trigger: Trigger) -> None:
    """``DROP TRIGGER``."""
    p.dropped.add(("trigger", table.schema, table.name, trigger.name))
    p.emit(phases.DROP_TRIGGER, f"DROP TRIGGER {quote_ident(trigger.name)} ON {table.qualname};",
           f"{table.qualname}.{trigger.name}")
