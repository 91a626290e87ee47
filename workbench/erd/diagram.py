"""``Diagram``: one drawn selection, shown in notebooks as SVG, saved in any registered format."""
from __future__ import annotations

from pathlib import Path

from ..atomicfile import write_atomically
from . import frames
from .highlights import Marks
from .relations import Relationship
from .renderers import extension_of, renderer
from .select import Selection


class Diagram:
    """An ER diagram: its DOT text, what it shows (``tables``) and what it left out (``notes``)."""

    def __init__(self, selection: Selection, dot: str, marks: Marks):
        self.selection = selection
        self.dot = dot
        self.marks = marks
        self._svg: str | None = None

    @property
    def tables(self) -> tuple[str, ...]:
        """The tables drawn, as ``schema.name``, sorted."""
        return tuple(f"{t.schema}.{t.name}" for t in self.selection.tables)

    @property
    def relationships(self) -> tuple[Relationship, ...]:
        """The relationships drawn (foreign keys, and implied ones when asked for)."""
        return self.selection.relationships

    @property
    def notes(self) -> list[str]:
        """What the diagram left out or simplified, in words."""
        return list(self.selection.notes)

    @property
    def title(self) -> str:
        return self.selection.title

    def summary(self):
        """DataFrame: one row per drawn table, with its badge, columns shown and highlights."""
        return frames.tables_frame(self.selection, self.marks)

    def findings(self):
        """DataFrame: the findings highlighted (the diagram's own checks and those passed in)."""
        return frames.findings_frame(self.selection, self.marks)

    def render(self, fmt: str) -> str | bytes:
        """The diagram in format ``fmt`` (a registered extension: svg, png, dot, mmd, dbml…)."""
        return renderer(fmt)(self)

    def svg(self) -> str:
        """The diagram as SVG text, drawn by graphviz (once, then kept)."""
        if self._svg is None:
            from .graphviz_render import pipe

            self._svg = pipe(self.dot, "svg").decode("utf-8")
        return self._svg

    def mermaid(self) -> str:
        """The same selection as a Mermaid ``erDiagram``."""
        return self.render("mmd")

    def dbml(self) -> str:
        """The same selection as DBML."""
        return self.render("dbml")

    def save(self, path) -> Path:
        """Write the diagram to ``path``, in the format its extension names; returns the path."""
        path = Path(path)
        content = self.render(extension_of(path))
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        write_atomically(path, data)
        return path

    def _repr_svg_(self) -> str:
        return self.svg()

    def _repr_html_(self) -> str:
        """The SVG inline, scaled down to the width of the notebook (zoom in for details)."""
        return fitted_html(self.svg())

    def __repr__(self) -> str:
        lines = [f"<Diagram {self.title}>"] + [f"  note: {note}" for note in self.notes]
        return "\n".join(lines)


FIT = "max-width:100%;height:auto"


def fitted_html(svg: str) -> str:
    """``svg`` (without its XML prolog) in a block as wide as the page, never wider: graphviz
    sizes a drawing in points, and a large one would otherwise run past the notebook's edge."""
    start = svg.find("<svg")
    svg = svg[start:start + 4] + f' style="{FIT}"' + svg[start + 4:]
    return f'<div class="workbench-erd" style="max-width:100%;overflow-x:auto">{svg}</div>'
