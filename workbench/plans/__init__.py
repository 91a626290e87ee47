"""The plans station: EXPLAIN run safely, parsed into a ``Plan``, told in plain words and drawn.

- :func:`explain` runs EXPLAIN (ANALYZE rolled back; ``$1`` parameters as a generic plan).
- :func:`plan_from_json` parses stored EXPLAIN (FORMAT JSON) output without a server.
- ``plan.narrative()``, ``plan.hot_spots()``, ``plan.frame()``, ``plan.graph()`` show it.
"""
from __future__ import annotations

from .hotspots import HotSpot, find_hot_spots
from .model import Buffers, Plan, PlanNode
from .narrative import Narrative, narrate
from .parse import plan_from_json
from .runner import explain
from .statement import parse_statement

__all__ = ["explain", "plan_from_json", "parse_statement", "Plan", "PlanNode", "Buffers", "HotSpot",
           "Narrative", "find_hot_spots", "narrate"]
