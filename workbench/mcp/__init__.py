"""The workbench as tools for coding agents: a Model Context Protocol server over stdio.

Each tool is a thin face over a library function and answers with structured JSON and a short
text summary; errors come back as tool errors carrying the workbench's what / where / what to
do. Nothing is written without ``--allow-apply``, and then only a Draft whose dry run passed in
the same server session, in one transaction. Reading SQL runs in a READ ONLY transaction.

- :func:`build_server` makes the server for a :class:`ServerState`;
- :func:`serve` connects and serves on standard input and output (``workbench mcp``).
"""
from __future__ import annotations

from .server import build_server, serve
from .state import ServerState

__all__ = ["build_server", "serve", "ServerState"]
