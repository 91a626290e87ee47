"""Views and materialized views, in dependency order.

A view is recreated (dropped before, created after) when its columns change, when a column
or function it reads changes type or is recreated, or when a view it reads is recreated;
otherwise a changed view is ``CREATE OR REPLACE``d. Views that read a dropped view go first.
"""
from __future__ import annotations

from graphlib import CycleError, TopologicalSorter

from ..catalog.model import Table
from . import phases
from .deps import columns_of, functions_of, relations_of, resolve
from .sqltext import same_sql, strip_semicolon

KINDS = ("view", "matview")


def plan(p) -> None:
    """Drop, create, replace and recreate views and materialized views, in dependency order."""
    old = {t.key: t for t in p.before.objects.tables if t.kind in KINDS}
    new = {t.key: t for t in p.after.objects.tables if t.kind in KINDS}
    changed = {k for k in old.keys() & new.keys() if differs(old[k], new[k])}
    recreate = {k for k in changed if must_recreate(p, old[k], new[k])}
    recreate |= {k for k in old.keys() & new.keys() if reads_changed(p, old[k])}
    recreate = close_over_readers(p, old, recreate | (old.keys() - new.keys()))
    recreate &= new.keys()
    p.recreate_views |= recreate
    for key in reversed(ordered(p.before, old, (old.keys() - new.keys()) | recreate)):
        drop(p, old[key])
    creating = (new.keys() - old.keys()) | recreate
    for position, key in enumerate(ordered(p.after, new, new.keys())):
        if key in creating:
            create(p, new[key], position)
        elif key in changed:
            replace(p, new[key], position)
    for key in recreate:
        p.reset_grants.add(("view", *key))


def differs(a: Table, b: Table) -> bool:
    """Whether a view's kind, definition, options or columns differ."""
    va, vb = a.view, b.view
    return (a.kind != b.kind or not same_sql(va.definition, vb.definition)
            or (va.security_invoker, va.security_barrier, va.check_option, va.populated)
            != (vb.security_invoker, vb.security_barrier, vb.check_option, vb.populated)
            or [(c.name, c.type) for c in a.columns] != [(c.name, c.type) for c in b.columns])


def must_recreate(p, old: Table, new: Table) -> bool:
    """Whether ``CREATE OR REPLACE VIEW`` cannot express the change."""
    if old.kind != new.kind or new.kind == "matview":
        return True
    was = [(c.name, c.type) for c in old.columns]
    now = [(c.name, c.type) for c in new.columns]
    return now[:len(was)] != was


def reads_changed(p, view: Table) -> bool:
    """Whether ``view`` reads a table that goes, a column that changes type or goes, or a
    recreated function."""
    if not (p.retyped_columns or p.dropped_columns or p.recreated_functions or p.gone_tables):
        return False
    relations = {resolve(r, p.old_tables) for r in relations_of(view.view.definition)}
    if any(key is not None and p.is_gone(key) for key in relations):
        return True
    columns = columns_of(view.view.definition)
    touched = p.retyped_columns | p.dropped_columns
    if any(key in relations and name in columns for key, name in touched):
        return True
    return any(name in {f[1] for f in functions_of(view.view.definition)}
               for _, name in p.recreated_functions)


def close_over_readers(p, views: dict, keys: set) -> set:
    """``keys`` and every view that reads one of them, transitively."""
    readers = {k: {resolve(r, views) for r in relations_of(v.view.definition)} for k, v in views.items()}
    found, grew = set(keys), True
    while grew:
        grew = False
        for key, reads in readers.items():
            if key not in found and reads & found:
                found.add(key)
                grew = True
    return found


def ordered(schema, views: dict, keys) -> list:
    """``keys`` with every view after the views it reads."""
    graph = {k: {r for r in (resolve(x, views) for x in relations_of(views[k].view.definition))
                 if r in views and r != k} for k in sorted(keys)}
    try:
        return [k for k in TopologicalSorter(graph).static_order() if k in set(keys)]
    except CycleError:
        return sorted(keys)


def create(p, view: Table, position: int) -> None:
    """``CREATE VIEW`` / ``CREATE MATERIALIZED VIEW`` at its place in the order."""
    p.emit(phases.CREATE_VIEW, create_sql(view), view.qualname, order=position)


def replace(p, view: Table, position: int) -> None:
    """``CREATE OR REPLACE VIEW`` at its place in the order."""
    p.emit(phases.CREATE_VIEW, create_sql(view, replace=True), view.qualname, order=position)


def create_sql(view: Table, replace: bool = False) -> str:
    """The statement making ``view`` (with its options, check option, data)."""
    spec = view.view
    body = strip_semicolon(spec.definition)
    if view.kind == "matview":
        data = "" if spec.populated else " WITH NO DATA"
        return f"CREATE MATERIALIZED VIEW {view.qualname} AS\n{body}{data};"
    options = [name for name, on in (("security_invoker", spec.security_invoker),
                                     ("security_barrier", spec.security_barrier)) if on]
    with_options = f" WITH ({', '.join(f'{o} = true' for o in options)})" if options else ""
    check = f"\n WITH {spec.check_option.upper()} CHECK OPTION" if spec.check_option else ""
    verb = "CREATE OR REPLACE VIEW" if replace else "CREATE VIEW"
    return f"{verb} {view.qualname}{with_options} AS\n{body}{check};"


def drop(p, view: Table) -> None:
    """``DROP VIEW`` / ``DROP MATERIALIZED VIEW``."""
    word = "MATERIALIZED VIEW" if view.kind == "matview" else "VIEW"
    p.emit(phases.DROP_VIEW, f"DROP {word} {view.qualname};", view.qualname)
