"""Functions and procedures.

A changed body is ``CREATE OR REPLACE``d. What ``CREATE OR REPLACE`` cannot change (the
result type, argument names or defaults, function into procedure) is dropped and created
again, and so are the triggers, policies and views that call it; so is a function taking or
returning an enum type the migration recreates. Function bodies are not checked at creation
(``check_function_bodies = off``), as ``pg_dump`` does, so a function may be created before
the tables it reads.
"""
from __future__ import annotations

from ..catalog.model import Function
from . import phases
from .deps import names_known, types_in_signature
from .sqltext import quote_ident, strip_semicolon


def plan(p) -> None:
    """Create, drop, replace or recreate functions and procedures."""
    old = {f.signature: f for f in p.before.objects.functions}
    new = {f.signature: f for f in p.after.objects.functions}
    for sig in sorted(old.keys() - new.keys()):
        drop(p, old[sig])
    for sig in sorted(new.keys() - old.keys()):
        create(p, new[sig])
    for sig in sorted(old.keys() & new.keys()):
        was, now = old[sig], new[sig]
        if was.definition == now.definition and was.kind == now.kind and not uses_recreated_type(p, was):
            continue
        if was.definition is None or now.definition is None:
            p.note(f"{sig}: aggregates and window functions are not diffed; change them by hand")
            continue
        if (was.kind, was.returns, was.arguments) != (now.kind, now.returns, now.arguments) \
                or uses_recreated_type(p, was):
            drop(p, was)
            create(p, now)
            p.recreated_functions.add((now.schema, now.name))
            p.reset_grants.add(("function", now.schema, grant_name(now)))
        else:
            create(p, now)


def create(p, function: Function) -> None:
    """``CREATE OR REPLACE`` the function (after the tables whose row type it names)."""
    if function.definition is None:
        p.note(f"{function.signature}: aggregates and window functions are not diffed; create it by hand")
        return
    phase = phases.LATE_FUNCTION if names_new_relation(p, function) else phases.CREATE_FUNCTION
    p.emit(phase, strip_semicolon(function.definition) + ";", function.signature)


def names_new_relation(p, function: Function) -> bool:
    """Whether the signature uses the row type of a table this migration creates."""
    created = p.new_tables.keys() - p.old_tables.keys()
    return bool(created) and any(names_known(name, created) for name in signature_types(function))


def signature_types(function: Function) -> frozenset:
    """The non-built-in types of a function's arguments and result."""
    return types_in_signature(function.arguments, function.returns)


def uses_recreated_type(p, function: Function) -> bool:
    """Whether the signature uses an enum type this migration recreates (the function would
    keep the old type, which is dropped)."""
    return bool(p.recreated_types) and any(names_known(name, p.recreated_types)
                                           for name in signature_types(function))


def drop(p, function: Function) -> None:
    """``DROP FUNCTION`` / ``DROP PROCEDURE`` of this overload."""
    p.dropped.add(("function", function.signature))
    word = "PROCEDURE" if function.kind == "procedure" else "FUNCTION"
    p.emit(phases.DROP_FUNCTION,
           f"DROP {word} {quote_ident(function.schema)}.{quote_ident(function.name)}"
           f"({function.identity_arguments});", function.signature)


def grant_name(function: Function) -> str:
    """The name grants give a function: ``name(argument types)``."""
    return f"{function.name}({function.argument_types})"
