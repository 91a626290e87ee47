"""The completion checklist: registered items decided from facts (see :mod:`.builtin`)."""
from __future__ import annotations

from . import builtin as _builtin  # noqa: F401  (registers the built-in items)
from .facts import Facts
from .registry import CHECKLIST, Checklist, ChecklistItem, checklist_item, run_checklist

__all__ = ["CHECKLIST", "Checklist", "ChecklistItem", "checklist_item", "run_checklist", "Facts"]
