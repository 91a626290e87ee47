"""SQL fragments a builder accepts as text (types, expressions), checked with the parser.

Names are identifiers and are always quoted; types, defaults and conditions are SQL text and
must parse as exactly one type or one expression, so a fragment cannot smuggle in a second
statement.
"""
from __future__ import annotations

from typing import Iterable

import pglast
from pglast import ast
from pglast.parser import ParseError

from ..draft import DraftError
from ...catalog.names import qualified, quote_ident

ON_DELETE = ("NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT")
COMMANDS = ("SELECT", "INSERT", "UPDATE", "DELETE", "ALL")


def _parse(text: str) -> list:
    try:
        return list(pglast.parse_sql(text))
    except ParseError as exc:
        raise DraftError(f"cannot parse {text!r}: {exc.args[0]}") from None


def sql_type(text: str) -> str:
    """``text`` when it is one SQL type name (``numeric(10,2)``, ``text[]``, ``s.my_enum``)."""
    if not isinstance(text, str) or not text.strip():
        raise DraftError(f"a column type must be SQL text, got {text!r}")
    found = _parse(f"CREATE TABLE t (c {text})")
    element = found[0].stmt.tableElts if len(found) == 1 else None
    if not (element and len(element) == 1 and isinstance(element[0], ast.ColumnDef)
            and not element[0].constraints and element[0].collClause is None):
        raise DraftError(f"{text!r} is not one SQL type",
                         hint="give only the type, e.g. 'text' or 'numeric(10,2)'; use the "
                              "builder's options for NOT NULL and DEFAULT")
    return text.strip()


def expression(text: str, what: str = "expression") -> str:
    """``text`` when it is one SQL expression (a default, a condition, a policy expression)."""
    if not isinstance(text, str) or not text.strip():
        raise DraftError(f"the {what} must be SQL text, got {text!r}")
    found = _parse(f"SELECT ({text})")
    stmt = found[0].stmt if len(found) == 1 else None
    if not (isinstance(stmt, ast.SelectStmt) and stmt.targetList and len(stmt.targetList) == 1
            and stmt.fromClause is None and stmt.whereClause is None):
        raise DraftError(f"the {what} {text!r} is not one SQL expression")
    return text.strip()


def index_element(text: str) -> str:
    """``text`` when it is one key of an index (``lower(email)``, ``name gin_trgm_ops``,
    ``created_at DESC``)."""
    if not isinstance(text, str) or not text.strip():
        raise DraftError(f"an index key must be SQL text, got {text!r}")
    found = _parse(f"CREATE INDEX i ON t ({text})")
    stmt = found[0].stmt if len(found) == 1 else None
    if not (isinstance(stmt, ast.IndexStmt) and len(stmt.indexParams) == 1):
        raise DraftError(f"{text!r} is not one index key")
    return text.strip()


def on_delete(action: str | None) -> str | None:
    """An ``ON DELETE`` action in upper case, or None."""
    if action is None:
        return None
    upper = " ".join(action.upper().split())
    if upper not in ON_DELETE:
        raise DraftError(f"unknown ON DELETE action {action!r}", hint=f"one of {', '.join(ON_DELETE)}")
    return upper


def command(text: str) -> str:
    """A policy command (``SELECT`` … ``ALL``) in upper case."""
    upper = text.upper().strip()
    if upper not in COMMANDS:
        raise DraftError(f"unknown policy command {text!r}", hint=f"one of {', '.join(COMMANDS)}")
    return upper


def names(items: Iterable[str] | str) -> tuple[str, ...]:
    """Identifiers as a tuple (a single name may be given as a string)."""
    found = (items,) if isinstance(items, str) else tuple(items)
    if not found or not all(isinstance(n, str) and n for n in found):
        raise DraftError(f"expected one or more names, got {items!r}")
    return found


def idents(items: Iterable[str]) -> str:
    """Identifiers quoted and joined with commas."""
    return ", ".join(quote_ident(n) for n in items)


def roles_sql(roles: Iterable[str]) -> str:
    """Role names for ``TO``/``FROM``: ``public`` as the keyword ``PUBLIC``, the rest quoted."""
    return ", ".join("PUBLIC" if r.lower() == "public" else quote_ident(r) for r in roles)


def literal(text: str) -> str:
    """``text`` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def dollar_quoted(body: str) -> str:
    """``body`` between dollar quotes whose tag does not occur in it."""
    tag, number = "$fn$", 0
    while tag in body:
        number += 1
        tag = f"$fn{number}$"
    return f"{tag}{body}{tag}"


__all__ = ["sql_type", "expression", "index_element", "on_delete", "command", "names", "idents",
           "roles_sql", "literal", "dollar_quoted", "qualified", "quote_ident"]
