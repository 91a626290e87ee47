"""Migration impact, measured: each statement of a migration run in a rolled-back transaction,
with the locks it took, the tables it rewrote or read, and how long it ran and held them.

- :mod:`.lockmodes` holds PostgreSQL's lock conflict table and the modes common statements take;
- :mod:`.documented` says what the statements a transaction cannot hold are documented to lock.
"""
from __future__ import annotations

from .durations import parse_duration

__all__ = ["parse_duration"]
