"""Making any name safe in DOT: HTML-like labels, quoted attribute strings and node ids.

PostgreSQL identifiers may hold quotes, ``<>&``, backslashes, spaces, newlines, control
characters and any unicode; none of them may break the DOT text or the SVG made from it.
"""
from __future__ import annotations

import hashlib
import unicodedata

REPLACEMENT = "\ufffd"


def clean(text: str) -> str:
    """``text`` with control characters (which XML cannot carry) replaced by U+FFFD."""
    return "".join(REPLACEMENT if unicodedata.category(ch) == "Cc" else ch for ch in str(text))


def html(text) -> str:
    """``text`` for an HTML-like label: ``&``, ``<``, ``>`` and ``"`` escaped as XML entities."""
    cleaned = clean(text)
    return (cleaned.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def quoted(text) -> str:
    """``text`` as a double-quoted DOT escString: backslashes doubled, newlines as ``\\n``."""
    lines = [clean(line).replace("\\", "\\\\").replace('"', '\\"')
             for line in str(text).split("\n")]
    return '"' + "\\n".join(lines) + '"'


def node_id(key: tuple[str, str]) -> str:
    """A quoted DOT node id for a table: ``"schema.name"``, or a stable hash for awkward names."""
    text = f"{key[0]}.{key[1]}"
    if any(ch in '"\\' or unicodedata.category(ch) == "Cc" for ch in text):
        digest = hashlib.sha1("\x00".join(key).encode()).hexdigest()[:12]
        text = f"table_{digest}"
    return f'"{text}"'


def port(index: int, side: str) -> str:
    """The port name of a column row's left (``l``) or right (``r``) cell."""
    return f"c{index}{side}"
