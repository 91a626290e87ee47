"""Reading catalog rows into frozen objects quickly: one ``Reader`` per query and class."""
from __future__ import annotations

import typing
from dataclasses import MISSING, fields
from functools import cache
from itertools import groupby
from operator import itemgetter
from typing import Callable

from .queries import Result

Key = tuple[str, str]


class Reader:
    """Makes instances of the frozen dataclass ``cls`` from the rows of ``result``: each field
    takes the value of the column with its name (arrays become tuples), or its default.

    ``make`` fills the new instance's ``__dict__`` directly: the same object ``cls(**values)``
    makes, two to three times faster than the generated ``__init__`` (which sets each field
    through ``object.__setattr__``), and a snapshot makes tens of thousands of them. The
    model's classes have no ``__post_init__`` for this to skip.
    """

    def __init__(self, cls, result: Result):
        self.cls = cls
        self.index = {name: i for i, name in enumerate(result.columns)}
        self.names = [name for name in field_names(cls) if name in self.index]
        self.values = itemgetter(*(self.index[name] for name in self.names))
        self.arrays = [name for name in self.names if name in tuple_fields(cls)]
        self.defaults = {k: v for k, v in defaults(cls).items() if k not in self.index}

    def make(self, row: tuple, **extra):
        """The instance for ``row``; ``extra`` gives (or overrides) field values."""
        instance = object.__new__(self.cls)
        values = instance.__dict__
        if self.defaults:
            values.update(self.defaults)
        values.update(zip(self.names, self.values(row)))
        for name in self.arrays:
            if values[name] is not None:
                values[name] = tuple(values[name])
        if extra:
            values.update(extra)
        return instance

    def getter(self, *names: str) -> itemgetter:
        """A getter for the value (one name) or tuple of values (several) of a row's columns."""
        return itemgetter(*(self.index[name] for name in names))


@cache
def defaults(cls) -> dict:
    """The default value of each field of ``cls`` that has one."""
    return {f.name: f.default for f in fields(cls) if f.default is not MISSING}


def grouped(result: Result, make: Callable[[tuple], object]) -> dict[Key, tuple]:
    """Objects made from ``result``'s rows, grouped by their ``(schema, table)`` (the queries
    sort by schema and table first, so each table's rows come together)."""
    key = itemgetter(result.columns.index("schema"), result.columns.index("table"))
    return {table: tuple(map(make, rows)) for table, rows in groupby(result.rows, key)}


@cache
def field_names(cls) -> tuple[str, ...]:
    """The names of the fields of ``cls``, in order."""
    return tuple(f.name for f in fields(cls))


@cache
def tuple_fields(cls) -> frozenset[str]:
    """The fields of ``cls`` that hold tuples."""
    hints = typing.get_type_hints(cls)
    return frozenset(name for name, hint in hints.items()
                     if typing.get_origin(hint) is tuple
                     or any(typing.get_origin(arg) is tuple for arg in typing.get_args(hint)))
