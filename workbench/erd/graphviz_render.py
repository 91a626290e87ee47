"""The graphviz formats: SVG and PNG drawn by ``dot``, and the DOT text itself."""
from __future__ import annotations

import subprocess

import graphviz

from .. import graphviz_setup
from ..errors import WorkbenchError
from .renderers import register_renderer


def pipe(dot: str, fmt: str) -> bytes:
    """``dot`` laid out by graphviz's ``dot`` engine, in format ``fmt``."""
    binary = graphviz_setup.ensure_configured()
    try:
        return graphviz.pipe("dot", fmt, dot.encode("utf-8"), quiet=True)
    except graphviz.ExecutableNotFound as exc:
        raise WorkbenchError(f"graphviz program not found: {binary}",
                             hint="pip install graphviz-pure, or apt-get install graphviz") from exc
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode("utf-8", "replace").strip()
        raise WorkbenchError(f"graphviz could not draw the diagram: {detail or exc}",
                             where=str(binary)) from exc


@register_renderer("svg")
def svg(diagram) -> str:
    """The diagram as SVG text."""
    return diagram.svg()


@register_renderer("png")
def png(diagram) -> bytes:
    """The diagram as a PNG image."""
    return pipe(diagram.dot, "png")


@register_renderer("dot")
def dot_source(diagram) -> str:
    """The DOT source text."""
    return diagram.dot


register_renderer("gv", dot_source)
