"""The Row Level Security matrix, from the RLS probe when it is available: who sees what on
each table of the change."""
from __future__ import annotations

from ..dsn import scrub
from .grid import grid_of
from .model import Grid


def rls_matrix(session, change=None, tables=None) -> tuple[Grid | None, bool | None, str]:
    """``(matrix, ok, note)`` of the probe on ``tables`` (SQL names; default: every table)
    after ``change`` (rolled back); ``(None, None, why)`` when the probe is not available."""
    try:
        from ..verify.rls import probe
    except ImportError:
        return None, None, "not available: the RLS probe (workbench.verify.rls) is not installed"
    try:
        report = run_probe(probe, session, change, tables)
        matrix = getattr(report, "matrix", None)
        grid = grid_of(matrix) if matrix is not None else None
    except Exception as exc:  # the probe failing is reported with its reason
        reason = scrub(str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc),
                       getattr(session, "dsn", None))
        return None, None, f"the RLS probe failed: {reason}"
    ok = bool(getattr(report, "ok", False))
    return grid, ok, "no rows leak between tenants" if ok else "rows leak between tenants"


def run_probe(probe, session, change, tables):
    """The probe with the options it accepts (an older probe may take only the session)."""
    options = {"draft": change, "tables": list(tables) if tables else None}
    options = {k: v for k, v in options.items() if v is not None}
    try:
        return probe(session, **options)
    except TypeError:
        return probe(session)
