"""Names for new objects: PostgreSQL's own patterns (``t_col_idx``), within 63 bytes."""
from __future__ import annotations

from ...catalog.names import MAX_BYTES, fit, index_name, relation_names
from ...catalog.names import derived_name as derived

__all__ = ["MAX_BYTES", "fit", "derived", "index_name", "relation_names", "suffixed",
           "constraint_names"]


def suffixed(base: str, tail: str) -> str:
    """``base`` + ``tail`` within 63 bytes, cutting ``base`` (never ``tail``) when too long."""
    return fit(base, MAX_BYTES - len(tail.encode())) + tail


def constraint_names(snapshot, schema: str, table: str) -> set[str]:
    """Names of the constraints already on ``schema.table``."""
    if snapshot is None:
        return set()
    return {c.name for c in snapshot.objects.constraints if (c.schema, c.table) == (schema, table)}
