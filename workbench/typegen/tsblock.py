"""A small model of TypeScript type literals (objects, tuples, unions) and their layout:
two-space indentation, one member per line, the way Supabase's generated types look."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union as _Union


@dataclass
class Obj:
    """An object type: ``entries`` of (rendered key, value); empty renders ``[_ in never]: never``."""

    entries: list[tuple[str, "Value"]] = field(default_factory=list)

    def add(self, key: str, value: "Value") -> Obj:
        self.entries.append((key, value))
        return self


@dataclass
class Tuple:
    """A tuple type written one item per line (``Relationships: [...]``)."""

    items: list["Value"] = field(default_factory=list)


@dataclass
class Union:
    """A union of object types, one ``| member`` per line (overloaded functions)."""

    items: list["Value"] = field(default_factory=list)


@dataclass
class ArrayOf:
    """An array of an object type: ``{ ... }[]`` (set-returning functions)."""

    item: "Value"


Value = _Union[str, Obj, Tuple, Union, ArrayOf]


def render(value: Value, depth: int = 0) -> str:
    """``value`` as TypeScript, its inner lines indented for nesting level ``depth``."""
    pad = "  " * depth
    if isinstance(value, str):
        return value
    if isinstance(value, Obj):
        return render_object(value, depth, pad)
    if isinstance(value, ArrayOf):
        return render(value.item, depth) + "[]"
    if isinstance(value, Tuple):
        if not value.items:
            return "[]"
        body = "".join(f"{pad}  {render(item, depth + 1)},\n" for item in value.items)
        return "[\n" + body + pad + "]"
    return "".join(f"\n{pad}  | {render(item, depth + 1)}" for item in value.items)


def render_object(value: Obj, depth: int, pad: str) -> str:
    if not value.entries:
        return "{\n" + pad + "  [_ in never]: never\n" + pad + "}"
    body = "".join(f"{pad}  {member(key, item, depth + 1)}\n" for key, item in value.entries)
    return "{\n" + body + pad + "}"


def member(key: str, value: Value, depth: int) -> str:
    """``key: value`` (a union starts on the next line)."""
    separator = ":" if isinstance(value, Union) else ": "
    return key + separator + render(value, depth)
