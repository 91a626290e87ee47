"""Operations → a Draft: up is the ops' SQL in order, down their reverses in reverse order."""
from __future__ import annotations

from typing import Iterable, Sequence

from ..draft import Draft
from ..reparse import reparse
from .ops import Op


def sql_of(ops: Iterable[Op]) -> str:
    """The ops' SQL, one statement group per line."""
    return "\n".join(op.up_sql() for op in ops)


def undo_sql(ops: Sequence[Op]) -> str:
    """The SQL undoing ``ops``: each op's reverse, last op first (ops with nothing to undo skipped)."""
    return "\n".join(filter(None, (op.down_sql() for op in reversed(ops))))


def draft_of(title: str, ops: Sequence[Op], *, down_ops: Sequence[Op] | None = None,
             rationale: str = "", notes: Iterable[str] = ()) -> Draft:
    """A Draft doing ``ops``; ``down_ops`` (run in the given order) replace the reverses."""
    down = sql_of(down_ops) if down_ops is not None else undo_sql(ops)
    return reparse(Draft(title, sql_of(ops), down, rationale=rationale, notes=tuple(notes)))
