"""Small SQL-text helpers for the diff: names, literals, and canonical forms through pglast."""
from __future__ import annotations

from functools import lru_cache

import pglast
from pglast import ast
from pglast.stream import RawStream

from ..catalog import names

__all__ = ["qualified", "quote_ident", "literal", "canonical", "same_sql", "concurrent_index",
           "strip_semicolon", "column_ref"]


@lru_cache(maxsize=65536)
def quote_ident(name: str) -> str:
    """``name`` as an SQL identifier, quoted where PostgreSQL needs it (remembered: a diff
    names the same objects many times)."""
    return names.quote_ident(name)


@lru_cache(maxsize=65536)
def qualified(schema: str, name: str) -> str:
    """``schema.name``, each part quoted where needed."""
    return f"{quote_ident(schema)}.{quote_ident(name)}"


def literal(text: str | None) -> str:
    """``text`` as an SQL string literal (``NULL`` for None)."""
    if text is None:
        return "NULL"
    return "'" + text.replace("'", "''") + "'"


def strip_semicolon(text: str) -> str:
    """``text`` without surrounding blanks and a trailing ``;``."""
    text = text.strip()
    return text[:-1].rstrip() if text.endswith(";") else text


@lru_cache(maxsize=65536)
def canonical(text: str | None) -> str | None:
    """One spelling of an SQL statement or expression (parsed and printed by pglast), so
    texts that differ only in spacing, parentheses or case compare equal."""
    if text is None:
        return None
    try:
        return RawStream()(pglast.parse_sql(strip_semicolon(text)))
    except pglast.parser.ParseError:
        try:
            return RawStream()(pglast.parse_sql(f"SELECT {text}")[0].stmt.targetList)
        except pglast.parser.ParseError:
            return " ".join(text.split())


def same_sql(a: str | None, b: str | None) -> bool:
    """Whether two SQL texts say the same: equal as they are (no parsing), or in their
    :func:`canonical` spelling."""
    return a == b or (a is not None and b is not None and canonical(a) == canonical(b))


def concurrent_index(definition: str) -> str:
    """An index definition (``pg_get_indexdef``) in its ``CREATE INDEX CONCURRENTLY`` form."""
    stmt = pglast.parse_sql(definition)[0].stmt
    stmt.concurrent = True
    return RawStream()(stmt)


def column_ref(name: str) -> str:
    """A quoted column name."""
    return quote_ident(name)


def index_statement(definition: str) -> ast.IndexStmt:
    """The parsed ``CREATE INDEX`` of a definition."""
    return pglast.parse_sql(definition)[0].stmt
