"""Declarative design: the migration from one schema to another, up and down, proven.

- :func:`diff_sql`: two :class:`~workbench.catalog.Schema` snapshots in, a :class:`Migration`
  out (ordered up and down statements, notes, destructive statements, rename questions);
- :meth:`Migration.verify`: both directions applied on a throwaway database and compared;
- :mod:`.desired`: where the desired schema comes from (a database, SQL, a sandbox,
  SQLAlchemy models, a migration history).
"""
from __future__ import annotations

from .engine import diff_sql
from .model import DiffError, Migration, Question, Statement
from .proof import Proof

__all__ = ["diff_sql", "Migration", "Statement", "Question", "DiffError", "Proof"]
