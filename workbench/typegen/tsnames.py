"""Names in TypeScript: property keys quoted only where needed, string literals escaped."""
from __future__ import annotations

import json
import string

_FIRST = frozenset(string.ascii_letters + "_$")
_REST = _FIRST | frozenset(string.digits)
_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029"}


def ts_string(text: str) -> str:
    """``text`` as a double-quoted TypeScript string literal (JSON escaping, line separators too)."""
    quoted = json.dumps(text, ensure_ascii=False)
    for char, escaped in _LINE_BREAKS.items():
        quoted = quoted.replace(char, escaped)
    return quoted


def is_identifier(name: str) -> bool:
    """Whether ``name`` can stand unquoted as a property key (ASCII identifiers only)."""
    return bool(name) and name[0] in _FIRST and all(ch in _REST for ch in name)


def ts_key(name: str) -> str:
    """``name`` as a property key of a type: bare when it is an identifier, else quoted."""
    return name if is_identifier(name) else ts_string(name)


def value_key(name: str) -> str:
    """``name`` as a key of an object literal (a value, not a type): ``__proto__`` would set
    the prototype there, so it becomes a computed key."""
    return f"[{ts_string(name)}]" if name == "__proto__" else ts_key(name)
