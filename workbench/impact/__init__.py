"""Migration impact, measured: each statement of a migration run in a rolled-back transaction,
with the locks it took, the tables it rewrote or read, and how long it ran and held them.

- :func:`trace` runs a Draft or SQL text and returns a :class:`Trace` (text, JSON-ready
  dict, DataFrame, notebook HTML); :mod:`.probe` says how each fact is read;
- :mod:`.lockmodes` holds PostgreSQL's lock conflict table and the modes common statements take;
- :mod:`.documented` says what the statements a transaction cannot hold are documented to lock;
- :mod:`.static` sets squawk's verdicts beside the trace's measurements.
"""
from __future__ import annotations

from .durations import parse_duration
from .model import Disagreement, Hold, Lock, StatementTrace
from .report import Trace
from .running import TraceError
from .trace import trace

__all__ = ["trace", "Trace", "StatementTrace", "Lock", "Hold", "Disagreement", "TraceError",
           "parse_duration"]
