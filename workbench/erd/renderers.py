"""The registry of diagram renderers: file extension → function(diagram) → text or bytes.

The built-in formats (svg, png, dot, mmd, dbml) register themselves here exactly as a
third party would::

    @register_renderer("puml")
    def plantuml(diagram) -> str: ...

A second renderer for the same extension is refused.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable, Union

from ..errors import WorkbenchError

if TYPE_CHECKING:
    from .diagram import Diagram

Renderer = Callable[["Diagram"], Union[str, bytes]]
RENDERERS: dict[str, Renderer] = {}


def register_renderer(extension: str, function: Renderer | None = None):
    """Register ``function`` for files ending in ``.extension``; usable as a decorator."""
    name = normalised(extension)

    def add(renderer: Renderer) -> Renderer:
        if name in RENDERERS:
            owner = RENDERERS[name]
            raise WorkbenchError(f"a renderer for .{name} files is already registered",
                                 where=f"{owner.__module__}.{owner.__qualname__}",
                                 hint="choose another extension, or unregister_renderer() first")
        RENDERERS[name] = renderer
        return renderer

    return add(function) if function is not None else add


def unregister_renderer(extension: str) -> Renderer:
    """Remove and return the renderer for ``extension``."""
    name = normalised(extension)
    if name not in RENDERERS:
        raise WorkbenchError(f"no renderer for .{name} files is registered")
    return RENDERERS.pop(name)


def renderer(extension: str) -> Renderer:
    """The renderer for ``extension`` (``"svg"`` or ``".svg"``), or a clear error."""
    name = normalised(extension)
    if name not in RENDERERS:
        known = ", ".join(f".{ext}" for ext in sorted(RENDERERS))
        raise WorkbenchError(f"no renderer for .{name} files", hint=f"use one of {known}")
    return RENDERERS[name]


def extension_of(path) -> str:
    """The format a file name asks for: its extension, lower-cased."""
    suffix = Path(path).suffix
    if not suffix:
        known = ", ".join(f".{ext}" for ext in sorted(RENDERERS))
        raise WorkbenchError(f"cannot tell the format of {str(path)!r}: it has no extension",
                             hint=f"end the file name with one of {known}")
    return normalised(suffix)


def normalised(extension: str) -> str:
    return extension.lower().lstrip(".")
