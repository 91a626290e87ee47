"""Drafts: proposed changes as up and down SQL, checked before they are exported.

- :class:`Draft` holds one change; :mod:`.builders` write Drafts for common changes;
- :func:`check` runs the safety checks (squawk and the workbench's RLS/tenancy rules);
- :func:`review` adds the dry run and the advisor findings the change introduces;
- :func:`approve` re-parses a Draft and marks it approved.
"""
from __future__ import annotations

from . import builders
from .draft import Draft, DraftError
from .reparse import approve, reparse
from .review import Review, review
from .safety import SafetyFinding, SafetyReport, check
from .sqltext import SqlSyntaxError, check_sql, statements

__all__ = ["Draft", "DraftError", "SqlSyntaxError", "check_sql", "statements", "builders", "check",
           "SafetyReport", "SafetyFinding", "review", "Review", "approve", "reparse"]
