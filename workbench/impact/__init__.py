"""Migration impact, measured: each statement of a migration run in a rolled-back transaction,
with the locks it took, the tables it rewrote or read, and how long it ran and held them.

- :func:`trace` runs a Draft or SQL text and returns a :class:`Trace` (text, JSON-ready
  dict, DataFrame, notebook HTML); :mod:`.probe` says how each fact is read;
- :mod:`.lockmodes` holds PostgreSQL's lock conflict table and the modes common statements take;
- :mod:`.documented` says what the statements a transaction cannot hold are documented to lock;
- :mod:`.static` sets squawk's verdicts beside the trace's measurements;
- :func:`safer` offers the safer form of each risky pattern it knows (steps, each a Draft),
  and :func:`compare` traces both forms the same way and shows them side by side
  (:mod:`.alternatives`).
"""
from __future__ import annotations

from .alternatives import compare, safer
from .comparison import Comparison
from .durations import parse_duration
from .model import Disagreement, Hold, Lock, StatementTrace
from .form import Safer
from .report import Trace
from .running import TraceError
from .trace import trace

__all__ = ["trace", "Trace", "StatementTrace", "Lock", "Hold", "Disagreement", "TraceError",
           "parse_duration", "safer", "compare", "Safer", "Comparison"]
