"""New identifiers for drafted fixes: PostgreSQL's 63-byte limit, snake_case, no clashes."""
from __future__ import annotations

from typing import Iterable

from ..catalog import Schema

MAX_BYTES = 63


def fit(name: str, limit: int = MAX_BYTES) -> str:
    """``name`` cut to at most ``limit`` bytes of UTF-8, never inside a character."""
    data = name.encode()
    if len(data) <= limit:
        return name
    return data[:limit].decode(errors="ignore")


def derived_name(parts: Iterable[str], suffix: str, taken: Iterable[str] = ()) -> str:
    """``part_part_suffix`` within 63 bytes, numbered (``…_suffix1``) if ``taken`` has it."""
    taken = set(taken)
    base = "_".join(parts)
    for number in ("", *map(str, range(1, 100))):
        tail = f"_{suffix}{number}"
        candidate = fit(base, MAX_BYTES - len(tail.encode())) + tail
        if candidate not in taken:
            return candidate
    raise ValueError(f"no free name for {base}_{suffix}")


def relation_names(schema: Schema, namespace: str) -> set[str]:
    """Names of tables, views, indexes and sequences in ``namespace`` (they share one space)."""
    objects = schema.objects
    names = {t.name for t in objects.tables if t.schema == namespace}
    names |= {i.name for i in objects.indexes if i.schema == namespace}
    names |= {s.name for s in objects.sequences if s.schema == namespace}
    return names


def snake_case(name: str) -> str:
    """``name`` in snake_case: lower-case ASCII letters, digits and single underscores."""
    words, word = [], []
    previous = ""
    for char in name:
        if char.isascii() and char.isalnum():
            if char.isupper() and previous.islower() and word:
                words.append("".join(word))
                word = []
            word.append(char.lower())
        elif word:
            words.append("".join(word))
            word = []
        previous = char
    if word:
        words.append("".join(word))
    text = "_".join(words)
    if not text or text[0].isdigit():
        text = f"x_{text}" if text else "x"
    return fit(text)


def is_snake_case(name: str) -> bool:
    """Lower-case ASCII letters, digits and single underscores, starting with a letter."""
    return snake_case(name) == name
