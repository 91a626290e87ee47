"""The one index Draft: ``CREATE INDEX [CONCURRENTLY]`` up, ``DROP INDEX [CONCURRENTLY] IF
EXISTS`` down, named as PostgreSQL names indexes (:func:`workbench.catalog.names.index_name`).

The builders' :func:`~.constraints.add_index`, the advisors' fixes and index advice all make
their index Drafts here, so one index reads the same wherever it was proposed.
"""
from __future__ import annotations

from typing import Iterable

from ..draft import Draft
from .compose import draft_of
from .ops import CreateExtension, CreateIndex

CONCURRENT_NOTE = "CONCURRENTLY does not block writes; it runs outside a transaction block"


def index_draft(index: CreateIndex, *, rationale: str = "", notes: Iterable[str] = (),
                extension: str | None = None) -> Draft:
    """The Draft adding ``index``; with ``extension``, it first creates that extension if
    missing (the down SQL leaves it in place)."""
    ops = [CreateExtension(extension), index] if extension else [index]
    notes = [*((CONCURRENT_NOTE,) if index.concurrently else ()), *notes]
    if extension:
        notes.append(f"creates the extension {extension}, which the down SQL leaves in place")
    return draft_of(f"Add index {index.name} on {index.schema}.{index.table}", ops,
                    rationale=rationale, notes=notes)
