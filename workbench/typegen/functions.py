"""Functions as Supabase shapes them: ``{ Args; Returns }``, a union for overloads.

Arguments and results are read from the catalog's text with PostgreSQL's own parser.
Procedures, aggregates and trigger functions are left out: the API cannot call them.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import pglast
from pglast import ast
from pglast.enums import FunctionParameterMode as Mode

from ..catalog import Function
from .pgtypes import type_ref
from .resolve import Resolver
from .tsblock import ArrayOf, Obj, Union
from .tsnames import ts_key

NOT_CALLABLE = ("trigger", "event_trigger")
INPUT = (Mode.FUNC_PARAM_IN, Mode.FUNC_PARAM_INOUT, Mode.FUNC_PARAM_VARIADIC,
         Mode.FUNC_PARAM_DEFAULT)
OUTPUT = (Mode.FUNC_PARAM_OUT, Mode.FUNC_PARAM_INOUT, Mode.FUNC_PARAM_TABLE)
NO_ARGS = "Record<PropertyKey, never>"


@dataclass(frozen=True)
class Signature:
    """A function's parameters and result type, parsed."""

    parameters: tuple[ast.FunctionParameter, ...]
    returns: ast.TypeName


def signature(function: Function) -> Signature | None:
    """The parsed signature of ``function``, or None when it cannot be read."""
    text = (f"CREATE FUNCTION f({function.arguments}) RETURNS {function.returns} "
            "LANGUAGE sql AS ''")
    try:
        (raw,) = pglast.parse_sql(text)
    except (pglast.parser.ParseError, ValueError):
        return None
    stmt = raw.stmt
    if not isinstance(stmt, ast.CreateFunctionStmt) or stmt.returnType is None:
        return None
    return Signature(tuple(stmt.parameters or ()), stmt.returnType)


def callable_functions(functions, schema: str) -> dict[str, list[Function]]:
    """The functions of ``schema`` the API can call, grouped by name (overloads together)."""
    grouped: dict[str, list[Function]] = {}
    for function in sorted(functions, key=lambda f: (f.name, f.argument_types)):
        if function.schema == schema and function.kind == "function" and function.returns \
                and function.returns not in NOT_CALLABLE:
            grouped.setdefault(function.name, []).append(function)
    return grouped


def functions_type(functions, schema: str, resolver: Resolver) -> Obj:
    """``Functions: { name: { Args; Returns } }`` of one schema."""
    block = Obj()
    for name, overloads in callable_functions(functions, schema).items():
        shapes = [function_type(f, resolver) for f in overloads]
        block.add(ts_key(name), shapes[0] if len(shapes) == 1 else Union(shapes))
    return block


def function_type(function: Function, resolver: Resolver) -> Obj:
    """``{ Args; Returns }`` of one function (``unknown`` parts when it cannot be parsed)."""
    sig = signature(function)
    if sig is None:
        return Obj([("Args", "Record<string, unknown>"), ("Returns", "unknown")])
    return Obj([("Args", args_type(sig, resolver)), ("Returns", returns_type(sig, resolver))])


def args_type(sig: Signature, resolver: Resolver) -> Obj | str:
    """The named input parameters (optional when they have a default)."""
    inputs = [p for p in sig.parameters if p.mode in INPUT]
    if not inputs:
        return NO_ARGS
    named = [p for p in inputs if p.name]
    if not named and len(inputs) == 1:  # PostgREST passes a lone unnamed argument as ""
        return Obj([('""', resolver.ts_type(type_ref(inputs[0].argType)))])
    return Obj([(ts_key(p.name) + ("?" if p.defexpr is not None else ""),
                 resolver.ts_type(type_ref(p.argType))) for p in named])


def returns_type(sig: Signature, resolver: Resolver) -> Obj | ArrayOf | str:
    """The result: a row object for ``TABLE``/``OUT`` parameters, an array for ``SETOF``."""
    outputs = [p for p in sig.parameters if p.mode in OUTPUT and p.name]
    if len(outputs) > 1 or any(p.mode == Mode.FUNC_PARAM_TABLE for p in outputs):
        row = Obj([(ts_key(p.name), resolver.ts_type(type_ref(p.argType)))
                   for p in sorted(outputs, key=lambda p: p.name)])
        return ArrayOf(row) if sig.returns.setof else row
    ref = type_ref(outputs[0].argType) if outputs else type_ref(sig.returns)
    return resolver.ts_type(replace(ref, dims=ref.dims + 1) if sig.returns.setof else ref)
