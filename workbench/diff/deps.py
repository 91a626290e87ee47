"""What an SQL text names, read with pglast: the relations, functions and columns it uses.

The diff orders views after the views they read, and recreates the views, policies and
triggers that use a column whose type changes or a function that is recreated.
"""
from __future__ import annotations

from functools import lru_cache

import pglast
from pglast import ast
from pglast.visitors import Visitor

from .sqltext import strip_semicolon


@lru_cache(maxsize=16384)
def names_in(sql: str | None) -> tuple[frozenset, frozenset, frozenset]:
    """``(relations, functions, columns)`` named by ``sql`` (a statement, an expression or a
    constraint definition): relations and functions as ``(schema or None, name)``, columns by
    their last name part."""
    if not sql:
        return frozenset(), frozenset(), frozenset()
    tree = _parse(sql)
    if tree is None:
        return frozenset(), frozenset(), frozenset()
    finder = _Names()
    finder(tree)
    return frozenset(finder.relations), frozenset(finder.functions), frozenset(finder.columns)


def _parse(sql: str):
    """A statement, an expression, or a constraint definition (``CHECK (…)``), parsed."""
    text = strip_semicolon(sql)
    for attempt in (text, f"SELECT {text}", f"ALTER TABLE t ADD {text}"):
        try:
            return pglast.parse_sql(attempt)
        except pglast.parser.ParseError:
            continue
    return None


class _Names(Visitor):
    def __init__(self):
        super().__init__()
        self.relations, self.functions, self.columns = set(), set(), set()

    def visit_RangeVar(self, ancestors, node: ast.RangeVar):
        self.relations.add((node.schemaname, node.relname))

    def visit_FuncCall(self, ancestors, node: ast.FuncCall):
        parts = [p.sval for p in node.funcname]
        self.functions.add((parts[-2] if len(parts) > 1 else None, parts[-1]))

    def visit_ColumnRef(self, ancestors, node: ast.ColumnRef):
        last = node.fields[-1]
        if isinstance(last, ast.String):
            self.columns.add(last.sval)
            if len(node.fields) > 1 and isinstance(node.fields[0], ast.String):
                self.relations.add((None, node.fields[0].sval)) if len(node.fields) == 2 else None

    def visit_IndexElem(self, ancestors, node: ast.IndexElem):
        if node.name:
            self.columns.add(node.name)


def relations_of(sql: str | None) -> frozenset:
    """The relations ``sql`` names, as ``(schema or None, name)``."""
    return names_in(sql)[0]


def functions_of(sql: str | None) -> frozenset:
    """The functions ``sql`` calls, as ``(schema or None, name)``."""
    return names_in(sql)[1]


def columns_of(sql: str | None) -> frozenset:
    """The column names ``sql`` uses (last name part only)."""
    return names_in(sql)[2]


def resolve(name: tuple[str | None, str], known) -> tuple[str, str] | None:
    """The ``(schema, name)`` among ``known`` keys that ``name`` means: as given when it is
    qualified, else ``public`` first, else the only schema that has it."""
    schema, bare = name
    if schema is not None:
        return (schema, bare) if (schema, bare) in known else None
    if ("public", bare) in known:
        return ("public", bare)
    found = [key for key in known if key[1] == bare]
    return found[0] if len(found) == 1 else None


@lru_cache(maxsize=16384)
def types_in_signature(arguments: str, returns: str | None) -> frozenset:
    """The types a function's arguments and result name, as ``(schema or None, name)``
    (built-in types left out), read with pglast from ``pg_get_function_arguments`` and
    ``pg_get_function_result`` texts."""
    head = f"CREATE FUNCTION f({arguments})" + (f" RETURNS {returns}" if returns else "")
    try:
        stmt = pglast.parse_sql(f"{head} LANGUAGE sql AS ''")[0].stmt
    except pglast.parser.ParseError:
        return frozenset()
    names = [p.argType.names for p in stmt.parameters or ()]
    if stmt.returnType is not None:
        names.append(stmt.returnType.names)
    found = set()
    for parts in names:
        parts = [p.sval for p in parts]
        if parts[0] != "pg_catalog":
            found.add((parts[-2] if len(parts) > 1 else None, parts[-1]))
    return frozenset(found)


def names_known(name: tuple[str | None, str], keys) -> bool:
    """Whether ``name`` (``(schema or None, name)``) is one of ``keys`` (``(schema, name)``),
    a bare name meaning one in ``public``."""
    schema, bare = name
    return (schema or "public", bare) in keys


@lru_cache(maxsize=4096)
def partition_key_columns(partition_key: str | None) -> frozenset:
    """The columns a partition key (``pg_get_partkeydef``: ``LIST (kind)``) reads."""
    if not partition_key:
        return frozenset()
    try:
        spec = pglast.parse_sql(f"CREATE TABLE t () PARTITION BY {partition_key}")[0].stmt.partspec
    except pglast.parser.ParseError:
        return frozenset()
    finder = _Names()
    for element in spec.partParams:
        if element.name:
            finder.columns.add(element.name)
        else:
            finder(element.expr)
    return frozenset(finder.columns)
