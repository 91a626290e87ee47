"""The TypeScript type of a column, argument or result: built-in types by the mapping,
enums by reference into ``Database`` (or spelled out when their schema is not generated)."""
from __future__ import annotations

from typing import Iterable

from ..catalog import EnumType
from .pgtypes import TypeRef, parse_type
from .tsnames import ts_string

PUBLIC = "public"


class Resolver:
    """Resolves type names of one snapshot, knowing which schemas the output holds."""

    def __init__(self, enums: Iterable[EnumType], schemas: Iterable[str]):
        self.enums = {(e.schema, e.name): e for e in enums}
        self.schemas = frozenset(schemas)

    def ts_type(self, ref: TypeRef | str) -> str:
        """``ref`` (a :class:`TypeRef` or ``format_type`` text) as a TypeScript type."""
        ref = parse_type(ref) if isinstance(ref, str) else ref
        base, is_union = self.base_type(ref)
        if ref.dims and is_union:
            base = f"({base})"
        return base + "[]" * ref.dims

    def base_type(self, ref: TypeRef) -> tuple[str, bool]:
        """The element type of ``ref`` and whether it is a union (arrays of it need parentheses)."""
        if ref.built_in:
            return ref.built_in, False
        enum = self.find_enum(ref)
        if enum is None:
            return "unknown", False
        if enum.schema in self.schemas:
            return f"Database[{ts_string(enum.schema)}][\"Enums\"][{ts_string(enum.name)}]", False
        return labels_union(enum.labels), len(enum.labels) > 1

    def find_enum(self, ref: TypeRef) -> EnumType | None:
        """The enum ``ref`` names: qualified, or unqualified (``public`` first, else the only one)."""
        if ref.schema is not None:
            return self.enums.get((ref.schema, ref.name))
        if (PUBLIC, ref.name) in self.enums:
            return self.enums[(PUBLIC, ref.name)]
        found = [e for (_, name), e in self.enums.items() if name == ref.name]
        return found[0] if len(found) == 1 else None


def labels_union(labels: Iterable[str]) -> str:
    """The labels of an enum as a union of string literal types (``never`` when it has none)."""
    return " | ".join(ts_string(label) for label in labels) or "never"
