"""Hand-written SQL as a Draft: parsed with PostgreSQL's parser, down SQL required."""
from __future__ import annotations

from typing import Iterable

from ..draft import Draft
from ..reparse import reparse


def free_sql(title: str, up: str, down: str = "", *, irreversible: str = "",
             rationale: str = "", notes: Iterable[str] = ()) -> Draft:
    """A Draft from SQL text; ``down`` undoes ``up``, or ``irreversible`` says why it cannot."""
    return reparse(Draft(title, up, down, rationale=rationale, notes=tuple(notes),
                         irreversible=irreversible))
