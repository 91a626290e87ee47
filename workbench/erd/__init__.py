"""The ER diagram station: a Schema snapshot → diagrams for exploring, reviewing and teaching.

- :func:`erd` draws a :class:`Diagram` (SVG in notebooks; ``.save()`` to svg, png, dot,
  Mermaid ``.mmd`` or ``.dbml``), of a whole schema or of one table's neighbourhood.
- :func:`central_tables` lists where to start; :func:`path` finds join paths and their SQL;
  :func:`implied_relationships` lists columns that look like foreign keys but are not.
- :func:`register_renderer` adds a file format, the way the built-in ones are added.
"""
from __future__ import annotations

from . import dbml, graphviz_render, mermaid  # noqa: F401  (they register their formats)
from .central import central_tables
from .diagram import Diagram
from .draw import erd
from .highlights import RULES
from .implied import implied_relationships
from .options import AUDIT_COLUMNS
from .paths import JoinPath, JoinPaths, path
from .relations import Relationship
from .renderers import RENDERERS, register_renderer, unregister_renderer

__all__ = ["erd", "Diagram", "central_tables", "path", "JoinPath", "JoinPaths",
           "implied_relationships", "Relationship", "register_renderer", "unregister_renderer",
           "RENDERERS", "RULES", "AUDIT_COLUMNS"]
