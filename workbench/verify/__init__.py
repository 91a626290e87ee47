"""Fresh-database checks of a migration history."""
from __future__ import annotations

from .stairway import StepResult, VerifyReport, verify_history

__all__ = ["StepResult", "VerifyReport", "verify_history"]
