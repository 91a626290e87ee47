"""The MCP server: the workbench's tools and resources on one database, over stdio."""
from __future__ import annotations

from pathlib import Path

from mcp.server.mcpserver import MCPServer

from . import resources, tools_draft, tools_read
from .state import ServerState

INSTRUCTIONS = """\
Schema Workbench: look at a PostgreSQL schema and change it through a proven pipeline.
Look: list_tables, describe_table, get_advisors (findings with drafted fixes), explain,
advise_indexes, probe_rls, execute_sql (read-only). Change: draft_migration (or draft_from_sql)
→ dry_run (rolled back; must pass) → export_migration (an Alembic revision) → verify_migrations.
apply_migration writes only when the server was started with --allow-apply, and only a Draft
whose dry run passed in this session."""


def build_server(state: ServerState) -> MCPServer:
    """The server with every tool and resource, working on ``state``."""
    from .. import __version__

    app = MCPServer("workbench", title="Schema Workbench", instructions=INSTRUCTIONS,
                    version=__version__, log_level="WARNING")
    tools_read.register(app, state)
    tools_draft.register(app, state)
    resources.register(app, state)
    return app


def serve(dsn: str | None = None, *, allow_apply: bool = False,
          migrations_dir: Path | str | None = None) -> None:
    """Connect to ``dsn`` (default: WORKBENCH_DSN, else the embedded nursery demo) and serve
    MCP on standard input and output until the client closes them."""
    import workbench

    with workbench.connect(dsn) as session:
        state = ServerState(session, allow_apply=allow_apply, migrations_dir=migrations_dir)
        build_server(state).run("stdio")
