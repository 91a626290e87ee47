"""Snapshot ⇄ plain data (dicts, lists, strings, numbers, booleans): JSON-ready, and back."""
from __future__ import annotations

import types
import typing
from dataclasses import fields, is_dataclass
from functools import cache

from .model import Constraint, ForeignKey
from .objects import Objects

HEADER = ("database", "server_version", "server_version_num")


def schema_to_dict(schema) -> dict:
    """The snapshot as plain data: the header fields, then one list per object kind."""
    return {**{name: getattr(schema, name) for name in HEADER}, **to_data(schema.objects)}


def schema_from_dict(cls, data: dict):
    """The snapshot :func:`schema_to_dict` wrote, rebuilt as objects of ``cls``."""
    return cls(**{name: data[name] for name in HEADER}, objects=from_data(Objects, data))


def table_description(schema, table) -> dict:
    """One table of ``schema`` as plain data, with the foreign keys referencing it and its grants."""
    return {**to_data(table), "qualified_name": table.qualname,
            "referenced_by": to_data(schema.referenced_by(table.key)),
            "grants": to_data(schema.grants_on(table.key))}


def to_data(value):
    """Dataclasses become dicts and tuples become lists, all the way down."""
    if is_dataclass(value):
        return {f.name: to_data(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (tuple, list)):
        return [to_data(item) for item in value]
    return value


def from_data(hint, value):
    """``value`` (plain data) read back as the type ``hint`` names."""
    if value is None:
        return None
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return from_data(next(a for a in typing.get_args(hint) if a is not type(None)), value)
    if typing.get_origin(hint) is tuple:
        return _tuple(typing.get_args(hint), value)
    if is_dataclass(hint):
        return _dataclass(hint, value)
    return value


def _tuple(args: tuple, value: list) -> tuple:
    if len(args) == 2 and args[1] is Ellipsis:
        return tuple(from_data(args[0], item) for item in value)
    return tuple(from_data(arg, item) for arg, item in zip(args, value))


def _dataclass(cls, value: dict):
    if cls is Constraint and value.get("kind") == "foreign key":
        cls = ForeignKey
    hints = type_hints(cls)
    return cls(**{name: from_data(hints[name], item) for name, item in value.items() if name in hints})


@cache
def type_hints(cls) -> dict:
    """The field types of ``cls``, resolved once."""
    return typing.get_type_hints(cls)
