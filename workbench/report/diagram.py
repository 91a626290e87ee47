"""The ER diagram of the tables a change touches, drawn from the head schema: inline SVG for
HTML, Mermaid for Markdown. Graphviz output is checked before it is inlined."""
from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from typing import Iterable

from ..catalog import Schema
from ..erd import erd
from .model import DiagramEntry

Key = tuple[str, str]


def touched_tables(before: Schema, after: Schema) -> tuple[Key, ...]:
    """Tables of the head schema that are new or differ from before (columns, keys, indexes,
    policies, triggers, RLS flags…), sorted."""
    old = {t.key: t for t in before.objects.tables}
    return tuple(sorted(t.key for t in after.objects.tables if old.get(t.key) != t))


def diagram_entry(after: Schema, touched: Iterable[Key], findings=()) -> tuple[DiagramEntry | None, str]:
    """The diagram of ``touched`` and the tables they reference, or None and why."""
    touched = list(touched)
    if not touched:
        return None, "no table of the head schema is touched"
    try:
        diagram = erd(after, focus=touched, depth=1, direction="parents", hide_audit=True,
                      findings=findings)
    except Exception as exc:  # graphviz missing or a drawing problem: say so, render the rest
        return None, f"the diagram could not be drawn: {str(exc).splitlines()[0] if str(exc) else exc!r}"
    return DiagramEntry(diagram.title, safe_svg(diagram), mermaid_of(diagram), tuple(diagram.notes)), ""


def safe_svg(diagram) -> str | None:
    """The diagram's SVG element (no XML prolog), or None when it cannot be drawn or holds
    anything active (scripts, event handlers, links, foreign objects)."""
    try:
        text = diagram.svg()
    except Exception:  # no graphviz binary: the Mermaid text still shows the diagram
        return None
    start = text.find("<svg")
    if start < 0:
        return None
    svg = text[start:]
    try:
        root = ElementTree.fromstring(svg)
    except ElementTree.ParseError:
        return None
    return svg if is_inert(root) else None


def is_inert(root) -> bool:
    """No script, style, foreignObject or embedding elements; no ``on*`` or ``href``
    attributes (graphviz's ``<a>`` carries only a tooltip title)."""
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag in ("script", "foreignobject", "iframe", "image", "use", "style"):
            return False
        for name in element.attrib:
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on") or local == "href":
                return False
    return True


def mermaid_of(diagram) -> str | None:
    try:
        return diagram.mermaid()
    except Exception:
        return None
