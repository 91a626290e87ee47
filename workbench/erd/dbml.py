"""A selection as DBML (dbdiagram.io): the same tables and foreign keys as the DOT.

Names are always double-quoted, notes single-quoted. DBML's quoted names cannot hold a
double quote or a line break (there is no escape for them): those become ``'`` and a space.
DBML checks that every ``Ref`` names existing columns, so each table lists at least its key
columns, even when the diagram shows none. Implied relationships become comments, never
``Ref`` lines.
"""
from __future__ import annotations

from ..catalog import Column, Table
from .columns import markers
from .html_label import badge
from .relations import Relationship
from .renderers import register_renderer
from .select import Selection

PLAIN_TYPE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_(),.")


@register_renderer("dbml")
def render_dbml(diagram) -> str:
    """The diagram's selection as DBML text."""
    return dbml_text(diagram.selection)


def dbml_text(selection: Selection) -> str:
    """Comments with the title and notes, one ``Table`` block per table, then the ``Ref`` lines."""
    lines = [f"// {one_line(selection.title)}"]
    lines += [f"// note: {one_line(note)}" for note in selection.notes]
    needed = ref_columns(selection.relationships)
    for table in selection.tables:
        targets = {c.name: selection.audit_target(table.key, c.name) for c in table.columns}
        lines += ["", *table_block(table, listed_columns(selection, table, needed), targets)]
    refs = [ref(rel) for rel in selection.relationships]
    if refs:
        lines += ["", *refs]
    return "\n".join(lines) + "\n"


def ref_columns(relationships) -> dict:
    """Table key → the column names its drawn foreign keys use (either end)."""
    needed: dict = {}
    for rel in relationships:
        if not rel.implied:
            needed.setdefault(rel.child, set()).update(rel.columns)
            needed.setdefault(rel.parent, set()).update(rel.ref_columns)
    return needed


def listed_columns(selection: Selection, table: Table, needed: dict) -> tuple[Column, ...]:
    """The shown columns, plus primary key and reference columns; every column if that is none."""
    keys = markers(table)
    wanted = {c.name for c in selection.shown(table)} | needed.get(table.key, set())
    wanted |= {name for name, marks in keys.items() if "PK" in marks}
    listed = tuple(c for c in table.columns if c.name in wanted)
    return listed or table.columns


def table_block(table: Table, columns: tuple[Column, ...], targets: dict) -> list[str]:
    keys = markers(table)
    primary = table.primary_key.columns if table.primary_key else ()
    lines = [f"Table {qualified(table.schema, table.name)} {{"]
    lines += [f"  {column_line(c, keys.get(c.name, ()), primary, targets.get(c.name))}"
              for c in columns]
    if len(primary) > 1:
        lines += ["  Indexes {", f"    ({', '.join(map(name, primary))}) [pk]", "  }"]
    if text := table_note(table):
        lines.append(f"  Note: {note(text)}")
    lines.append("}")
    return lines


def column_line(column: Column, marks: tuple[str, ...], primary: tuple[str, ...],
                target: str | None = None) -> str:
    """``"name" type [pk, not null, unique, note: '…']``; the note names the table an audit
    key references when the diagram marks it rather than drawing it (``→ auth.users``)."""
    settings = []
    if len(primary) == 1 and column.name in primary:
        settings.append("pk")
    if not column.nullable:
        settings.append("not null")
    if "UQ" in marks and "PK" not in marks:
        settings.append("unique")
    notes = [text for text in (column.comment, target and f"→ {target}") if text]
    if notes:
        settings.append(f"note: {note('; '.join(notes))}")
    suffix = f" [{', '.join(settings)}]" if settings else ""
    return f"{name(column.name)} {type_text(column.type)}{suffix}"


def table_note(table: Table) -> str:
    text = badge(table, sizes=False)
    return f"{text}. {table.comment}" if table.comment else text


def ref(rel: Relationship) -> str:
    """``Ref: child.column > parent.column [delete: cascade]``; implied ones as a comment."""
    child = endpoint(rel.child, rel.columns)
    parent = endpoint(rel.parent, rel.ref_columns)
    if rel.implied:
        return f"// implied, no foreign key: {child} > {parent}"
    arrow = "-" if rel.one_to_one else ">"
    action = f" [delete: {rel.on_delete.lower()}]" if rel.on_delete != "NO ACTION" else ""
    return f"Ref: {child} {arrow} {parent}{action}"


def endpoint(key, columns: tuple[str, ...]) -> str:
    names = name(columns[0]) if len(columns) == 1 else f"({', '.join(map(name, columns))})"
    return f"{qualified(*key)}.{names}"


def qualified(schema: str, table: str) -> str:
    return f"{name(schema)}.{name(table)}"


def name(text: str) -> str:
    """A double-quoted DBML name (a ``"`` inside becomes ``'``: DBML has no escape for it)."""
    return '"' + one_line(text).replace('"', "'") + '"'


def type_text(text: str) -> str:
    """The column type, quoted when it holds spaces, brackets or other punctuation."""
    return text if all(ch in PLAIN_TYPE for ch in text) else name(text)


def note(text: str) -> str:
    """A single-quoted DBML string: ``'`` escaped; a final backslash kept off the closing quote."""
    text = one_line(text).replace("'", "\\'")
    return f"'{text} '" if text.endswith("\\") else f"'{text}'"


def one_line(text: str) -> str:
    return "".join(" " if ch in "\r\n\t" or ord(ch) < 32 or ord(ch) == 127 else ch for ch in text)
