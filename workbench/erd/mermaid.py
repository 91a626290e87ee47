"""A selection as a Mermaid ``erDiagram``: the same tables, columns and relationships as the DOT.

Mermaid accepts fewer characters than PostgreSQL: entity names are quoted (without ``"``,
``%`` or backslashes); column names and types are words of letters, digits, ``-``, ``_``,
brackets and parentheses. Anything else becomes ``_``, and the real name goes in the comment.
"""
from __future__ import annotations

import unicodedata

from ..catalog import Column, Table
from .columns import markers
from .relations import Relationship
from .renderers import register_renderer
from .select import Selection

WORD_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_[]()")
NAME_FORBIDDEN = set('"%\\')
KEYS = {"PK": "PK", "FK": "FK", "UQ": "UK"}


@register_renderer("mmd")
def render_mermaid(diagram) -> str:
    """The diagram's selection as Mermaid ``erDiagram`` text."""
    return mermaid_text(diagram.selection)


def mermaid_text(selection: Selection) -> str:
    """``erDiagram`` text: a comment with the title and notes, entities, then relationships."""
    names = entity_names(selection)
    lines = [f"%% {one_line(selection.title)}"]
    lines += [f"%% note: {one_line(note)}" for note in selection.notes]
    lines.append("erDiagram")
    for table in selection.tables:
        targets = {c.name: selection.audit_target(table.key, c.name) for c in table.columns}
        lines += entity(table, names[table.key], selection.shown(table), targets)
    lines += [relationship(rel, names) for rel in selection.relationships]
    return "\n".join(lines) + "\n"


def entity_names(selection: Selection) -> dict:
    """Each table's quoted entity name, made unique after the unsafe characters are replaced."""
    names, used = {}, set()
    for table in selection.tables:
        base = entity_text(selection.label(table.key))
        name, number = base, 2
        while name in used:
            name, number = f"{base} ({number})", number + 1
        used.add(name)
        names[table.key] = f'"{name}"'
    return names


def entity_text(label: str) -> str:
    return "".join("_" if ch in NAME_FORBIDDEN or is_control(ch) else ch for ch in label)


def entity(table: Table, name: str, columns: tuple[Column, ...], targets: dict) -> list[str]:
    if not columns:
        return [f"    {name}"]
    keys = markers(table)
    return [f"    {name} {{",
            *(attribute(c, keys.get(c.name, ()), targets.get(c.name)) for c in columns), "    }"]


def attribute(column: Column, marks: tuple[str, ...], target: str | None = None) -> str:
    """``type name PK, FK "comment"``; the comment names the table an audit key references
    when the diagram marks it rather than drawing it (``"null; → auth.users"``)."""
    name = word(column.name)
    parts = [word(column.type), name]
    keys = [KEYS[m] for m in marks if m in KEYS]
    if keys:
        parts.append(", ".join(keys))
    notes = [f"column {column.name}"] if name != column.name else []
    if column.nullable:
        notes.append("null")
    if target:
        notes.append(f"→ {target}")
    if notes:
        parts.append(f'"{comment_text("; ".join(notes))}"')
    return "        " + " ".join(parts)


def relationship(rel: Relationship, names: dict) -> str:
    """``"parent" ||--o{ "child" : "label"`` with crow's foot cardinalities."""
    parent = "|o" if rel.optional else "||"
    child = "o|" if rel.one_to_one else "o{"
    line = "--" if rel.identifying and not rel.implied else ".."
    label = f"implied {', '.join(rel.columns)}" if rel.implied else rel.name
    ends = f"{parent}{line}{child}"
    return f'    {names[rel.parent]} {ends} {names[rel.child]} : "{comment_text(label)}"'


def word(text: str) -> str:
    """``text`` as a Mermaid attribute word: unsafe characters → ``_``, starting with a letter."""
    safe = "".join(ch if ch in WORD_CHARS else "_" for ch in text)
    return safe if safe[:1].isalpha() else f"x{safe}"


def comment_text(text: str) -> str:
    return one_line(text).replace('"', "'")


def one_line(text: str) -> str:
    return "".join(" " if is_control(ch) else ch for ch in text)


def is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc"
