"""Identifiers: quoting the way PostgreSQL's ``quote_ident`` does, qualified names, and new
names that fit PostgreSQL's 63-byte limit without clashing."""
from __future__ import annotations

import pglast
from pglast import ast
from typing import Iterable

from pglast.keywords import COL_NAME_KEYWORDS, RESERVED_KEYWORDS, TYPE_FUNC_NAME_KEYWORDS

_KEYWORDS = frozenset(RESERVED_KEYWORDS | COL_NAME_KEYWORDS | TYPE_FUNC_NAME_KEYWORDS)
_FIRST = frozenset("abcdefghijklmnopqrstuvwxyz_")
_REST = _FIRST | frozenset("0123456789")
MAX_BYTES = 63


def quote_ident(name: str) -> str:
    """``name`` as an SQL identifier, in double quotes only where PostgreSQL needs them."""
    if _is_plain(name) and name not in _KEYWORDS:
        return name
    return '"' + name.replace('"', '""') + '"'


def qualified(schema: str, name: str) -> str:
    """``schema.name`` with each part quoted where needed: ready to paste into SQL."""
    return f"{quote_ident(schema)}.{quote_ident(name)}"


def _is_plain(name: str) -> bool:
    return bool(name) and name[0] in _FIRST and all(ch in _REST for ch in name)


def parse_name(text: str) -> tuple[str | None, str] | None:
    """``text`` read as SQL reads a table name (quotes kept, the rest folded to lower case):
    ``(schema, name)``, ``(None, name)`` when unqualified, ``None`` when it is not a name."""
    try:
        statements = pglast.parse_sql(f"SELECT FROM {text}")
    except pglast.parser.ParseError:
        return None
    if len(statements) != 1 or len(statements[0].stmt.fromClause or ()) != 1:
        return None
    found = statements[0].stmt.fromClause[0]
    if not isinstance(found, ast.RangeVar) or found.catalogname or found.alias:
        return None
    return (found.schemaname, found.relname)


def fit(name: str, limit: int = MAX_BYTES) -> str:
    """``name`` cut to at most ``limit`` bytes of UTF-8, never inside a character."""
    data = name.encode()
    return name if len(data) <= limit else data[:limit].decode(errors="ignore")


def derived_name(parts: Iterable[str], suffix: str, taken: Iterable[str] = ()) -> str:
    """``part_part_suffix`` within 63 bytes, numbered (``…_suffix1``) when ``taken`` has it."""
    taken = set(taken)
    base = "_".join(parts)
    for number in ("", *map(str, range(1, 100))):
        tail = f"_{suffix}{number}"
        candidate = fit(base, MAX_BYTES - len(tail.encode())) + tail
        if candidate not in taken:
            return candidate
    raise ValueError(f"no free name for {base}_{suffix}")


def index_name(table: str, keys: Iterable[str], taken: Iterable[str] = (), *,
               unique: bool = False) -> str:
    """A new index's name as PostgreSQL picks one: ``<table>_<keys>_idx`` (``_key`` when
    ``unique``), within 63 bytes, numbered (``…_idx1``) when ``taken`` has it."""
    return derived_name([table, *keys], "key" if unique else "idx", taken)


def relation_names(snapshot, namespace: str) -> set[str]:
    """Names taken in ``namespace``'s relation space (tables, views, indexes, sequences);
    empty without a snapshot."""
    if snapshot is None:
        return set()
    objects = snapshot.objects
    names = {t.name for t in objects.tables if t.schema == namespace}
    names |= {i.name for i in objects.indexes if i.schema == namespace}
    return names | {s.name for s in objects.sequences if s.schema == namespace}
