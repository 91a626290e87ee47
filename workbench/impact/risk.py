"""Which defaults make ``ADD COLUMN`` rewrite the table, and which type changes rewrite it.

PostgreSQL 11+ stores a non-volatile default in the catalog: adding such a column changes no
row. A volatile default (``random()``, ``gen_random_uuid()``, ``clock_timestamp()``,
``nextval()``…) gives each row its own value, so every row is written anew. A type change
rewrites the table unless the old type is binary-coercible to the new one (a longer
``varchar``, ``varchar`` to ``text``, a ``numeric`` with more precision…). Both are judged
from the SQL and, when given, the schema snapshot; the trace then says what really happened.
"""
from __future__ import annotations

import pglast
from pglast import ast

from .sqlforms import function_names

# Volatile functions of PostgreSQL and its common extensions (pg_proc.provolatile = 'v').
VOLATILE_BUILTINS = frozenset({
    "random", "random_normal", "setseed", "gen_random_uuid", "uuidv4", "uuidv7",
    "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "clock_timestamp",
    "timeofday", "nextval", "gen_random_bytes", "gen_salt",
})
# Types whose typmod may grow without a rewrite, and types any of them becomes for free.
GROWS_IN_PLACE = {"varchar": {"varchar", "text"}, "numeric": {"numeric"}, "varbit": {"varbit"},
                  "text": {"text", "varchar"}}
SPELLINGS = {"character varying": "varchar", "bit varying": "varbit", "decimal": "numeric"}


def volatile_calls(expression, schema=None) -> list[str]:
    """The volatile functions ``expression`` (a parsed node) calls: PostgreSQL's own and, with a
    snapshot, the schema's functions declared VOLATILE."""
    own = {f.name for f in schema.objects.functions if f.volatility == "volatile"} if schema else set()
    return [name for name in function_names(expression) if name in VOLATILE_BUILTINS | own]


def type_parts(type_name: ast.TypeName) -> tuple[str, tuple[int, ...]]:
    """A parsed type as ``(base name, typmods)``: ``varchar(20)`` → ``("varchar", (20,))``."""
    base = type_name.names[-1].sval
    mods = tuple(m.val.ival for m in type_name.typmods or ()
                 if isinstance(m, ast.A_Const) and isinstance(m.val, ast.Integer))
    return SPELLINGS.get(base, base), mods


def parsed_type(text: str) -> ast.TypeName:
    """A type written as text (``character varying(20)``), parsed."""
    (raw,) = pglast.parse_sql(f"CREATE TABLE t (c {text})")
    return raw.stmt.tableElts[0].typeName


def type_change_rewrites(old_type: str | None, new_type: ast.TypeName, using) -> bool:
    """Whether ``ALTER COLUMN … TYPE new_type`` rewrites a column of ``old_type`` (True when
    unknown: no old type, a USING clause, arrays, a pair this module does not know)."""
    if old_type is None or using is not None or new_type.arrayBounds:
        return True
    old = parsed_type(old_type)
    if old.arrayBounds:
        return True
    (old_base, old_mods), (new_base, new_mods) = type_parts(old), type_parts(new_type)
    if new_base not in GROWS_IN_PLACE.get(old_base, ()):
        return True
    if new_base != old_base:
        return bool(new_mods) and new_base != "text"  # varchar → text, text → varchar: free
    return not grows(old_base, old_mods, new_mods)


def grows(base: str, old: tuple[int, ...], new: tuple[int, ...]) -> bool:
    """Whether typmods ``new`` only widen ``old`` (no typmod: no limit)."""
    if not new:
        return True
    if not old:
        return False
    if base == "numeric":
        old_scale = old[1] if len(old) > 1 else 0
        new_scale = new[1] if len(new) > 1 else 0
        return new_scale == old_scale and new[0] >= old[0]
    return new[0] >= old[0]
