"""PostgreSQL type names, read with PostgreSQL's own parser, and the TypeScript type of each
built-in type (the mapping Supabase's generated types use, with a few more string types)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pglast
from pglast import ast

NUMBER = ("int2", "int4", "int8", "float4", "float8", "numeric", "oid")
STRING = ("text", "varchar", "bpchar", "char", "name", "citext", "uuid", "date", "time", "timetz",
          "timestamp", "timestamptz", "interval", "bytea", "inet", "cidr", "macaddr", "macaddr8",
          "bit", "varbit", "money", "tsvector", "tsquery", "xml", "vector")
BUILT_IN = {"bool": "boolean", "json": "Json", "jsonb": "Json", "void": "undefined",
            "record": "Record<string, unknown>",
            **{name: "number" for name in NUMBER}, **{name: "string" for name in STRING}}
CATALOG = "pg_catalog"


@dataclass(frozen=True)
class TypeRef:
    """A type as PostgreSQL reads it: ``schema`` (None when unqualified), ``name``, and the
    number of array dimensions."""

    schema: str | None
    name: str
    dims: int = 0

    @property
    def built_in(self) -> str | None:
        """The TypeScript type of a built-in scalar type, else None."""
        if self.schema in (None, CATALOG):
            return BUILT_IN.get(self.name)
        return None


UNKNOWN = TypeRef(None, "unknown")


def type_ref(node: ast.TypeName) -> TypeRef:
    """The :class:`TypeRef` of a parsed ``TypeName`` node."""
    names = [n.sval for n in node.names]
    dims = len(node.arrayBounds or ())
    schema = names[-2] if len(names) > 1 else None
    return TypeRef(schema, names[-1], dims)


@lru_cache(maxsize=4096)
def parse_type(text: str) -> TypeRef:
    """The :class:`TypeRef` of a type as ``format_type`` writes it (``integer``,
    ``character varying(20)[]``, ``"My Schema"."my enum"``); :data:`UNKNOWN` when unreadable."""
    try:
        statements = pglast.parse_sql(f"SELECT NULL::{text}")
    except pglast.parser.ParseError:
        return UNKNOWN
    if len(statements) != 1 or len(statements[0].stmt.targetList or ()) != 1:
        return UNKNOWN
    cast = statements[0].stmt.targetList[0].val
    if not isinstance(cast, ast.TypeCast):
        return UNKNOWN
    return type_ref(cast.typeName)
