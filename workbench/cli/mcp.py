"""``workbench mcp``: the workbench as a Model Context Protocol server for coding agents."""
from __future__ import annotations

from .common import add_dsn_option


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "mcp", help="serve the workbench's tools to a coding agent (Model Context Protocol, stdio)",
        description="Run an MCP server on standard input and output for an MCP client (an editor "
        "or a coding agent): tools to inspect the schema, run the advisors, explain queries, advise "
        "indexes, probe RLS, run read-only queries, and carry a change as a Draft through a dry "
        "run to an exported Alembic revision and a verified history. Nothing is written to the "
        "database unless --allow-apply is given, and then only a Draft whose dry run passed in "
        "the same session, in one transaction. Register it with the client as the command "
        "`workbench mcp`.")
    add_dsn_option(parser)
    parser.add_argument("--allow-apply", action="store_true",
                        help="let apply_migration write a Draft whose dry run passed to this "
                             "database (for development databases; default: never write)")
    parser.add_argument("--dir", help="the migrations folder (default: migrations/ of the project)")
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..mcp import serve

    serve(args.dsn, allow_apply=args.allow_apply, migrations_dir=args.dir)
    return 0
