"""The RLS isolation probe: impersonate tenants in a rolled-back transaction and report, per
table and command, whether one tenant's rows reach another.

- :func:`probe`: run it (``probe.py``), on a session, optionally after a Draft;
- the pieces: which tenants exist (``tenancy``), rows to try (``rows``, ``values``), the
  checks per command (``checks``), why a leak happens (``blame``), the verdicts and report.
"""
from __future__ import annotations

from .probe import probe
from .report import ProbeReport, ProbeResult

__all__ = ["probe", "ProbeReport", "ProbeResult"]
