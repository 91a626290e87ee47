"""Names for new objects: PostgreSQL's own patterns (``t_col_idx``), within 63 bytes."""
from __future__ import annotations

from typing import Iterable

MAX_BYTES = 63


def fit(name: str, limit: int = MAX_BYTES) -> str:
    """``name`` cut to at most ``limit`` bytes of UTF-8, never inside a character."""
    data = name.encode()
    return name if len(data) <= limit else data[:limit].decode(errors="ignore")


def suffixed(base: str, tail: str) -> str:
    """``base`` + ``tail`` within 63 bytes, cutting ``base`` (never ``tail``) when too long."""
    return fit(base, MAX_BYTES - len(tail.encode())) + tail


def derived(parts: Iterable[str], suffix: str, taken: Iterable[str] = ()) -> str:
    """``part_part_suffix`` within 63 bytes, numbered (``…_suffix1``) when ``taken`` has it."""
    taken = set(taken)
    base = "_".join(parts)
    for number in ("", *map(str, range(1, 100))):
        tail = f"_{suffix}{number}"
        candidate = fit(base, MAX_BYTES - len(tail.encode())) + tail
        if candidate not in taken:
            return candidate
    raise ValueError(f"no free name for {base}_{suffix}")


def relation_names(snapshot, schema: str) -> set[str]:
    """Names taken in ``schema``'s relation namespace (tables, indexes, sequences)."""
    if snapshot is None:
        return set()
    objects = snapshot.objects
    found = {t.name for t in objects.tables if t.schema == schema}
    found |= {i.name for i in objects.indexes if i.schema == schema}
    return found | {s.name for s in objects.sequences if s.schema == schema}


def constraint_names(snapshot, schema: str, table: str) -> set[str]:
    """Names of the constraints already on ``schema.table``."""
    if snapshot is None:
        return set()
    return {c.name for c in snapshot.objects.constraints if (c.schema, c.table) == (schema, table)}
