"""Drafts: proposed changes as up and down SQL, checked before they are exported."""
from __future__ import annotations

from .draft import Draft, DraftError
from .sqltext import SqlSyntaxError, check_sql, statements

__all__ = ["Draft", "DraftError", "SqlSyntaxError", "check_sql", "statements"]
