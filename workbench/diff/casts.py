"""A column's type change: the ``USING`` it needs, and whether it may lose data.

PostgreSQL converts with ``column::new_type`` whenever a cast exists, and through the text
form for string types. Where no cast exists the statement converts through ``text`` and says
so in a comment the reviewer must confirm: SQL that fails on apply is never emitted.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pglast

from .sqltext import quote_ident

INTEGERS = ("smallint", "integer", "bigint")
NUMBERS = (*INTEGERS, "numeric", "real", "double precision")
STRINGS = ("text", "character varying", "character", "name", "citext", '"char"')
TIMES = ("date", "timestamp without time zone", "timestamp with time zone")
JSONS = ("json", "jsonb")
FAMILIES = (NUMBERS, TIMES, JSONS, ("time without time zone", "time with time zone", "interval"),
            ("inet", "cidr"), ("bit", "bit varying"))
WIDER = {("smallint", "integer"), ("smallint", "bigint"), ("integer", "bigint"),
         ("smallint", "numeric"), ("integer", "numeric"), ("bigint", "numeric"),
         ("real", "double precision"), ("date", "timestamp without time zone"),
         ("date", "timestamp with time zone"),
         ("timestamp without time zone", "timestamp with time zone"), ("json", "jsonb"),
         ("cidr", "inet"), ("character", "character varying")}


@dataclass(frozen=True)
class TypeChange:
    """How to convert a column: the ``USING`` expression, a comment to confirm, and what it
    may lose (empty when it loses nothing)."""

    using: str
    comment: str
    lossy: str


IMPLICIT = {(a, b) for family in (NUMBERS, STRINGS) for a in family for b in family}


def base(type_name: str) -> tuple[str, tuple[int, ...], bool]:
    """``(name without modifiers, modifiers, is_array)`` of a ``format_type`` text."""
    array = type_name.endswith("[]")
    text = type_name[:-2] if array else type_name
    mods: tuple[int, ...] = ()
    if text.endswith(")") and "(" in text:
        head, _, rest = text.partition("(")
        inner = rest[:-1]
        if all(part.strip().isdigit() for part in inner.split(",")):
            mods = tuple(int(p) for p in inner.split(","))
            text = head.strip()
    # timestamp(3) with time zone: the modifier sits inside the name
    if "(" in text and text.startswith(("timestamp", "time")):
        head, _, rest = text.partition("(")
        number, _, tail = rest.partition(")")
        text = (head.strip() + tail).strip()
        mods = (int(number),) if number.isdigit() else ()
    return text, mods, array


def type_change(column: str, old: str, new: str) -> TypeChange:
    """What changing ``column`` from type ``old`` to type ``new`` needs."""
    old_name, old_mods, old_array = base(old)
    new_name, new_mods, new_array = base(new)
    ref = quote_ident(column)
    lossy = "" if widens(old_name, old_mods, new_name, new_mods) and old_array == new_array else \
        f"{old} to {new} may lose data or fail on existing rows"
    if old_array != new_array or not castable(old_name, new_name):
        return TypeChange(f"{ref}::text::{new}",
                          f"no cast from {old} to {new}: converted through text; confirm this USING",
                          lossy or f"{old} to {new} may fail on existing rows")
    if old_name == new_name or (old_name, new_name) in WIDER or (old_name, new_name) in IMPLICIT \
            or new_name in STRINGS:
        return TypeChange("", "", lossy)  # an assignment cast: no USING, no needless rewrite
    return TypeChange(f"{ref}::{new}", "", lossy)


def castable(old: str, new: str) -> bool:
    """Whether ``old::new`` is accepted by PostgreSQL for these built-in or enum types."""
    if old == new or old in STRINGS or new in STRINGS:
        return True
    if {old, new} <= {"integer", "boolean"}:
        return True
    return any(old in family and new in family for family in FAMILIES)


def widens(old: str, old_mods: tuple[int, ...], new: str, new_mods: tuple[int, ...]) -> bool:
    """Whether every value of the old type fits the new one unchanged."""
    if new in ("text", "character varying") and not new_mods:
        return True  # every value has a text form, and it reads back the same
    if old == new:
        return modifiers_widen(old, old_mods, new_mods)
    if (old, new) == ("character varying", "character varying"):
        return modifiers_widen(old, old_mods, new_mods)
    return (old, new) in WIDER and (not new_mods or modifiers_widen(new, old_mods, new_mods))


def modifiers_widen(name: str, old: tuple[int, ...], new: tuple[int, ...]) -> bool:
    """Whether the new type modifiers (length, precision, scale) hold every old value."""
    if not new:
        return True
    if not old:
        return False
    if name == "numeric" and len(old) == 2 and len(new) == 2:
        return new[1] >= old[1] and new[0] - new[1] >= old[0] - old[1]
    return new[0] >= old[0]


def same_type(p, old: str, new: str) -> bool:
    """Whether two spellings name one type: a type of an extension the migration moves to
    another schema is printed with the schema it is in (``p.moved_schemas``)."""
    if not p.moved_schemas:
        return False
    return any(spelled_in(old, was) == spelled_in(new, now) != (None, None)
               for was, now in p.moved_schemas)


def spelled_in(type_text: str, schema: str) -> tuple:
    """``(name, array)`` when ``type_text`` names a type of ``schema`` (bare for public)."""
    names, array = type_name(type_text)
    wanted = 1 if schema == "public" else 2
    if len(names) != wanted or (wanted == 2 and names[0] != schema):
        return (None, None)
    return (names[-1], array)


@lru_cache(maxsize=4096)
def type_name(type_text: str) -> tuple[tuple[str, ...], bool]:
    """The name parts of a type as written, and whether it is an array, read by pglast."""
    cast = pglast.parse_sql(f"SELECT NULL::{type_text}")[0].stmt.targetList[0].val
    names = tuple(part.sval for part in cast.typeName.names)
    return names, bool(cast.typeName.arrayBounds)
