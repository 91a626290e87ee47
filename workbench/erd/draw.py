"""``erd()``: a Schema snapshot → a :class:`~workbench.erd.diagram.Diagram`."""
from __future__ import annotations

import dataclasses
from typing import Iterable

from ..errors import WorkbenchError
from .diagram import Diagram
from .dot import build_dot
from .highlights import marks_for
from .options import AUDIT_COLUMNS, make_options
from .select import plural, select


def erd(schema, focus=None, *, depth: int = 1, direction: str = "both", schemas=None,
        include=None, exclude=None, columns: str = "auto", hide_audit: bool = False,
        audit_edges: bool = False, audit_columns: Iterable[str] = AUDIT_COLUMNS,
        implied: bool = False, findings=(), highlight: bool = True, sizes: bool = False,
        on_delete: bool = False, views: bool = False, partitions: bool = False,
        legend: bool = True) -> Diagram:
    """Draw an ER diagram of ``schema`` (a snapshot from :func:`workbench.inspect`).

    - ``focus``: a table name (``"orders"`` or ``"shop.orders"``) or several; with ``depth``
      steps of foreign keys in ``direction``: ``"parents"`` (what it references),
      ``"children"`` (what references it), ``"both"`` (what references it, then what those
      reference: orders → order_items → batches at depth 2; not siblings through a parent)
      or ``"any"`` (every table within ``depth`` links). Without focus: the whole selection.
    - ``schemas``, ``include``, ``exclude``: which tables; patterns are fnmatch globs on
      ``name`` or ``schema.name`` (``"audit_*"``, ``"auth.*"``).
    - ``columns``: ``"all"``, ``"keys"`` (PK, FK, unique, indexed), ``"none"``, or ``"auto"``
      (all up to 60 tables, keys up to 250, then none).
    - ``audit_columns`` (``created_by`` …): their foreign keys (to ``auth.users``, say) are
      marked on the column (``uuid → auth.users``) instead of drawn, and not followed from a
      focus; ``audit_edges`` draws and follows them; ``hide_audit`` hides the columns too.
    - ``implied``: also draw, dashed, columns that look like foreign keys but have none.
    - ``findings``: any :class:`~workbench.lint.finding.Finding` objects to highlight;
      ``highlight`` adds the diagram's own checks (unindexed foreign keys, no primary key,
      RLS off in a schema that uses it, RLS on without policies).
    - ``sizes`` adds row estimates and sizes; ``on_delete`` labels edges with their
      ``ON DELETE`` action; ``views``/``partitions`` draw those too; ``legend`` adds the key.
    """
    check_schema(schema)
    options = make_options(focus, depth=depth, direction=direction, schemas=schemas,
                           include=include, exclude=exclude, columns=columns,
                           hide_audit=hide_audit, audit_edges=audit_edges,
                           audit_columns=audit_columns, implied=implied,
                           findings=findings, highlight=highlight, sizes=sizes,
                           on_delete=on_delete, views=views, partitions=partitions, legend=legend)
    selection = select(schema, options)
    marks = marks_for(schema, selection.tables, options.findings, options.highlight)
    if marks.elsewhere:
        note = f"{plural(marks.elsewhere, 'finding')} about tables not drawn"
        selection = dataclasses.replace(selection, notes=selection.notes + (note,))
    return Diagram(selection, build_dot(selection, marks), marks)


def check_schema(schema) -> None:
    """A clear error when ``schema`` is not a snapshot (a common slip: passing the session)."""
    if not hasattr(schema, "objects") or not hasattr(schema.objects, "tables"):
        raise WorkbenchError(f"erd() draws a Schema snapshot, not {type(schema).__name__}",
                             hint="take one first: schema = workbench.inspect(session)")
