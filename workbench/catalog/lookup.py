"""Finding a snapshot object by the name a user types, with close matches when there is none.

A name may be ``"schema.name"``, ``("schema", "name")``, a bare ``"name"`` when only one
schema has it, or any SQL spelling of the name (``'"Sales".orders'``), read as PostgreSQL
reads it.
"""
from __future__ import annotations

import difflib
from collections import defaultdict
from typing import Callable, Generic, Iterable, TypeVar

from ..errors import WorkbenchError
from .names import parse_name, qualified, quote_ident

T = TypeVar("T")


class Directory(Generic[T]):
    """The objects of one kind, found by any of their names."""

    def __init__(self, kind: str, items: Iterable[T],
                 names: Callable[[T], Iterable[str]] | None = None):
        self.kind = kind
        self._by_key: dict[tuple[str, str], list[T]] = defaultdict(list)
        self._by_text: dict[str, list[T]] = defaultdict(list)
        for item in items:
            self._by_key[(item.schema, item.name)].append(item)
            for text in dict.fromkeys((names or table_names)(item)):
                self._by_text[text].append(item)

    def find(self, wanted) -> T:
        """The one object called ``wanted``; a WorkbenchError when none or several are."""
        matches = self.matches(wanted)
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise self._ambiguous(wanted, matches)
        raise self._missing(wanted)

    def matches(self, wanted) -> list[T]:
        """Every object called ``wanted`` (several for overloaded functions or a bare name)."""
        if isinstance(wanted, tuple):
            return list(self._by_key.get(tuple(wanted), []))
        if hasattr(wanted, "schema") and hasattr(wanted, "name"):
            return list(self._by_key.get((wanted.schema, wanted.name), []))
        return list(self._by_text.get(str(wanted), [])) or self._as_sql(str(wanted))

    def _as_sql(self, text: str) -> list[T]:
        """Matches for ``text`` read as an SQL name: ``"Sales".orders`` finds ``Sales.orders``."""
        parsed = parse_name(text)
        if parsed is None:
            return []
        schema, name = parsed
        if schema is None:
            return [item for item in self._by_text.get(name, []) if item.name == name]
        return list(self._by_key.get((schema, name), []))

    def _missing(self, wanted) -> WorkbenchError:
        close = close_matches(display(wanted), self._labels())
        hint = f"did you mean {', '.join(close)}?" if close else f"no {self.kind} has a similar name"
        return WorkbenchError(f"no {self.kind} {display(wanted)!r} in this snapshot",
                              where=f"{len(self._by_key)} {self.kind}s inspected", hint=hint)

    def _labels(self) -> dict[str, str]:
        """Each object's bare and qualified names, mapped to its qualified label."""
        labels = {}
        for items in self._by_key.values():
            for item in items:
                labels.setdefault(item.name, label(item))
                labels[label(item)] = label(item)
        return labels

    def _ambiguous(self, wanted, matches: list[T]) -> WorkbenchError:
        names = sorted({label(m) for m in matches})
        return WorkbenchError(f"{display(wanted)!r} names {len(matches)} {self.kind}s",
                              hint=f"qualify it: {', '.join(names)}")


def table_names(item) -> tuple[str, ...]:
    """The names an object of a schema answers to."""
    return (f"{item.schema}.{item.name}", qualified(item.schema, item.name),
            item.name, quote_ident(item.name))


def function_names(item) -> tuple[str, ...]:
    """A function also answers to its signature, ``schema.name(argument types)``."""
    return (item.signature, f"{item.name}({item.argument_types})", *table_names(item))


def close_matches(wanted: str, labels: dict[str, str], limit: int = 5) -> list[str]:
    """Labels of the names like ``wanted`` (``labels`` maps a name to its label), ignoring case."""
    by_lower: dict[str, str] = {}
    for name, shown in labels.items():
        by_lower.setdefault(name.lower(), shown)
    found = difflib.get_close_matches(wanted.lower(), list(by_lower), n=limit * 2, cutoff=0.6)
    return list(dict.fromkeys(by_lower[name] for name in found))[:limit]


def display(wanted) -> str:
    """What the user asked for, as text."""
    if isinstance(wanted, tuple):
        return ".".join(wanted)
    if hasattr(wanted, "schema") and hasattr(wanted, "name"):
        return f"{wanted.schema}.{wanted.name}"
    return str(wanted)


def label(item) -> str:
    """How an object is named in messages: ``schema.name``, or a function's signature."""
    return getattr(item, "signature", None) or f"{item.schema}.{item.name}"
