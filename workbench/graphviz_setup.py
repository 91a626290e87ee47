"""Make the ``graphviz`` package draw on any machine.

It runs the system ``dot`` when one is installed, else the binary of the ``graphviz-pure``
wheel (same command-line flags), so diagrams render without Debian's graphviz.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import graphviz.backend.dot_command as dot_command

PURE_NAME = "graphviz-pure"


def dot_binary(prefer_system: bool = True) -> Path:
    """The ``dot`` program to use: the system's, else graphviz-pure's."""
    system = shutil.which("dot")
    if prefer_system and system:
        return Path(system)
    pure = Path(sys.executable).parent / PURE_NAME
    if pure.exists():
        return pure
    found = shutil.which(PURE_NAME)
    if found:
        return Path(found)
    from .errors import WorkbenchError

    raise WorkbenchError("no graphviz renderer found",
                         hint="pip install graphviz-pure, or install graphviz (apt-get install graphviz)")


def configure(prefer_system: bool = True) -> Path:
    """Point the graphviz package at the chosen ``dot`` and return its path."""
    binary = dot_binary(prefer_system)
    dot_command.DOT_BINARY = binary
    return binary


def ensure_configured() -> Path:
    """The ``dot`` the graphviz package runs: the one already chosen with :func:`configure`,
    else (on first use) the system's or graphviz-pure's."""
    if dot_command.DOT_BINARY == Path("dot"):
        return configure()
    return Path(dot_command.DOT_BINARY)
