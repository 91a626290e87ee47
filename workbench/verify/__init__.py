"""Fresh-database checks of a migration history.

- :func:`verify` (also ``verify_history``): the stairway (up, down, up for every revision,
  with schema convergence), then head checks: one-go upgrade, drift from a development
  database, seed and invariants, the RLS isolation probe, the advisors;
- :func:`migration_status`: where one database stands against the history.
"""
from __future__ import annotations

from .report import Check, RevisionResult, StepResult, VerifyReport
from .run import verify
from .stairway import require_ok, verify_history
from .status import MigrationStatus, migration_status

__all__ = ["verify", "verify_history", "require_ok", "VerifyReport", "RevisionResult", "StepResult",
           "Check", "migration_status", "MigrationStatus"]
