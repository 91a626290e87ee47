"""New identifiers for drafted fixes: PostgreSQL's 63-byte limit, snake_case, no clashes."""
from __future__ import annotations

from ..catalog.names import MAX_BYTES, derived_name, fit, relation_names

__all__ = ["MAX_BYTES", "fit", "derived_name", "relation_names", "snake_case", "is_snake_case"]


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
