"""The Row Level Security matrix of a change, from the RLS probe: who sees what on each
table the change touches. Only a probe that ran on the change and found no leak passes: a
probe that fails, could not impersonate anyone, or found nothing to probe is a failed check."""
from __future__ import annotations

from ..verify.rls import probe
from .failure import failure_text
from .grid import grid_of
from .model import Grid


def rls_matrix(session, change=None, tables=None) -> tuple[Grid | None, bool, str]:
    """``(matrix, ok, note)`` of the probe on ``tables`` (SQL names; default: every table the
    API roles may use) after ``change`` (rolled back). When the probe did not probe the
    change, ``matrix`` is None, ``ok`` False and ``note`` says why."""
    try:
        report = probe(session, change, tables=list(tables) if tables else None)
    except Exception as exc:  # a probe that fails is a failed check, showing its error
        return None, False, f"the RLS probe failed: {failure_text(exc, getattr(session, 'dsn', None))}"
    if report.skipped:
        return None, False, f"tenant isolation was not probed: {report.skipped}"
    if not report.results:
        return None, False, ("the RLS probe found no table to probe (none touched by the change, "
                             "none the API roles may use)")
    if report.ok:
        return grid_of(report.matrix), True, "no rows leak between tenants"
    return grid_of(report.matrix), False, f"{len(report.failures)} cross-tenant access(es): rows leak between tenants"
