"""What a diagram should show: the options of :func:`workbench.erd.erd`, checked once."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from ..errors import WorkbenchError

DIRECTIONS = ("both", "parents", "children", "any")
COLUMN_MODES = ("auto", "all", "keys", "none")
AUDIT_COLUMNS = ("created_at", "updated_at", "created_by", "updated_by")
TABLE_KINDS = ("table", "partitioned", "foreign")
VIEW_KINDS = ("view", "matview")

# Above these many tables, columns="auto" shows fewer columns so the layout stays readable.
ALL_COLUMNS_UP_TO = 60
KEY_COLUMNS_UP_TO = 250


@dataclass(frozen=True)
class Options:
    """The choices behind one diagram; see :func:`workbench.erd.erd` for their meaning."""

    focus: tuple[str, ...] = ()
    depth: int = 1
    direction: str = "both"
    schemas: tuple[str, ...] | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    columns: str = "auto"
    hide_audit: bool = False
    audit_edges: bool = False
    audit_columns: tuple[str, ...] = AUDIT_COLUMNS
    implied: bool = False
    highlight: bool = True
    sizes: bool = False
    on_delete: bool = False
    views: bool = False
    partitions: bool = False
    legend: bool = True
    findings: tuple = field(default=(), compare=False)

    @property
    def kinds(self) -> tuple[str, ...]:
        return TABLE_KINDS + VIEW_KINDS if self.views else TABLE_KINDS

    @property
    def audit_marks(self) -> bool:
        """Whether foreign keys on audit columns show as marks on their columns, not as edges."""
        return not (self.hide_audit or self.audit_edges)


def make_options(focus=None, **choices) -> Options:
    """Options from the keyword arguments of ``erd()``, with clear errors for bad values."""
    options = Options(
        focus=as_tuple(focus),
        schemas=as_tuple(choices.pop("schemas", None)) or None,
        include=as_tuple(choices.pop("include", None)),
        exclude=as_tuple(choices.pop("exclude", None)),
        audit_columns=as_tuple(choices.pop("audit_columns", AUDIT_COLUMNS)),
        findings=tuple(choices.pop("findings", None) or ()),
        **choices,
    )
    check(options)
    return options


def as_tuple(value) -> tuple[str, ...]:
    """``None`` → ``()``, a string → a 1-tuple, any other iterable → a tuple."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def check(options: Options) -> None:
    """A WorkbenchError naming the bad option and the values it accepts."""
    choose("direction", options.direction, DIRECTIONS)
    choose("columns", options.columns, COLUMN_MODES)
    if not isinstance(options.depth, int) or options.depth < 0:
        raise WorkbenchError(f"depth must be a whole number of steps, not {options.depth!r}",
                             hint="depth=1 shows the focus table and its direct neighbours")


def choose(name: str, value, allowed: Iterable[str]) -> None:
    allowed = tuple(allowed)
    if value not in allowed:
        raise WorkbenchError(f"{name}={value!r} is not one of {', '.join(map(repr, allowed))}",
                             where=f"erd({name}=…)", hint=f"use one of {', '.join(allowed)}")
