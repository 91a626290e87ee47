"""Candidate values for a column the probe has to fill: text, as PostgreSQL reads it.

Values that CHECK constraints suggest come first (``status IN ('open', …)`` → ``open``), then
enum labels, then values typical of the column's type. Text, numbers and bytes carry a
running number ``n`` so that unique columns get distinct values.
"""
from __future__ import annotations

import hashlib
import uuid

from ...catalog import Column, EnumType, Table
from ...catalog.names import qualified, quote_ident
from .expr import check_constants

TEXT = ("text", "character varying", "character", "citext", "name", "varchar", "char", "bpchar")
INTEGER = ("smallint", "integer", "bigint", "int2", "int4", "int8")
NUMBER = ("numeric", "decimal", "real", "double precision", "float4", "float8", "money")
DATES = {
    "date": ["2026-01-01", "2026-01-02", "2025-12-31"],
    "timestamp with time zone": ["2026-01-01 00:00:00+00", "2026-01-02 00:00:00+00",
                                 "2025-12-31 00:00:00+00"],
    "timestamp without time zone": ["2026-01-01 00:00:00", "2026-01-02 00:00:00",
                                    "2025-12-31 00:00:00"],
    "time without time zone": ["12:00:00", "13:00:00"],
    "time with time zone": ["12:00:00+00", "13:00:00+00"],
    "interval": ["1 day", "1 hour"],
}
FIXED = {
    "boolean": ["false", "true"],
    "json": ["{}", "[]"],
    "jsonb": ["{}", "[]"],
    "inet": ["127.0.0.1"],
    "cidr": ["127.0.0.0/8"],
    "macaddr": ["08:00:2b:01:02:03"],
    "tsvector": ["probe"],
    "xml": ["<probe/>"],
}
GENERIC = ["probe-{n}", "1", "0", "true", "{}", "2026-01-01", "[1,2)", "[2026-01-01,2026-01-02)",
           "(0,0)", "(0,0),(1,1)"]


def base_type(type_text: str) -> str:
    """``numeric(10,2)`` → ``numeric``; ``timestamp(3) with time zone`` → ``timestamp with
    time zone``."""
    head, _, tail = type_text.partition("(")
    return (head + tail.partition(")")[2]).strip()


def type_length(type_text: str) -> int | None:
    """The length limit of ``varchar(n)`` / ``char(n)``, if any."""
    if base_type(type_text) not in TEXT:
        return None
    inside = type_text[type_text.find("(") + 1:type_text.find(")")] if "(" in type_text else ""
    return int(inside) if inside.isdigit() else None


def is_known_type(type_text: str, enums: dict[str, EnumType]) -> bool:
    """Whether the probe knows how to write values of this type without trying casts."""
    base = base_type(type_text)
    return (type_text.endswith("[]") or type_text in enums or base == "uuid" or base == "bytea"
            or base in TEXT or base in INTEGER or base in NUMBER or base in DATES or base in FIXED)


def enum_index(enums) -> dict[str, EnumType]:
    """Enum types by every spelling a column type may use: qualified or not, quoted or not."""
    found: dict[str, EnumType] = {}
    for enum in enums:
        for spelling in (enum.name, quote_ident(enum.name)):
            found.setdefault(spelling, enum)
        found[f"{enum.schema}.{enum.name}"] = enum
        found[qualified(enum.schema, enum.name)] = enum
    return found


def column_candidates(table: Table, column: Column, enums: dict[str, EnumType],
                      n: int, prefer: tuple[str, ...] = ()) -> list[str]:
    """Candidate values for ``column``: suggested by its CHECKs, then typical of its type.
    ``prefer`` moves labels such as ``owner`` to the front when a check or enum offers them."""
    suggested = [value for c in table.constraints if c.kind == "check" and column.name in c.columns
                 for value in check_constants(c.definition, column.name)]
    enum = enums.get(column.type)
    suggested += list(enum.labels) if enum else []
    suggested = sorted(dict.fromkeys(suggested), key=lambda v: v not in prefer)
    return list(dict.fromkeys(suggested + type_candidates(column.type, n)))


def type_candidates(type_text: str, n: int) -> list[str]:
    """Values typical of ``type_text``; ``n`` makes text, numbers and bytes distinct."""
    base = base_type(type_text)
    if type_text.endswith("[]"):
        return ["{}"]
    if base in TEXT:
        return [_fit(value, type_length(type_text)) for value in
                (f"probe-{n}", f"probe-{n}@example.com", f"https://example.com/probe-{n}")]
    if base in INTEGER or base in NUMBER:
        return [str(n), "1", "0"]
    if base == "uuid":
        return [str(uuid.uuid4())]
    if base == "bytea":
        return ["\\x" + hashlib.sha256(f"probe-{n}".encode()).hexdigest()]
    if base in DATES:
        return list(DATES[base])
    if base in FIXED:
        return list(FIXED[base])
    return [value.replace("{n}", str(n)) for value in GENERIC]


def _fit(value: str, length: int | None) -> str:
    """``value`` cut to ``length`` characters, keeping its distinct tail."""
    return value if length is None or len(value) <= length else value[-length:]


