"""``workbench inspect``: the schema snapshot as a table or JSON."""
from __future__ import annotations

from .common import add_dsn_option, add_format_option, print_json


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "inspect", help="snapshot a schema: tables, columns, constraints, indexes, RLS, policies…",
        description="Take a read-only snapshot of the database's schemas and print it.")
    add_dsn_option(parser)
    parser.add_argument("--schema", action="append", metavar="S",
                        help="only this schema (repeat for several; default: every user schema)")
    add_format_option(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    import workbench

    with workbench.connect(args.dsn) as session:
        schema = workbench.inspect(session, schemas=args.schema)
    if args.format == "json":
        print_json(schema.to_dict())
    else:
        print(schema.summary_text())
        print(tables_text(schema))
    return 0


TABLE_COLUMNS = ["schema", "name", "kind", "rows_estimate", "size", "rls_enabled", "rls_forced",
                 "policies", "indexes", "triggers"]


def tables_text(schema) -> str:
    """The tables as aligned text, one line each."""
    tables = schema.tables
    if tables.empty:
        return "\nno tables"
    return "\nTables\n\n" + tables[TABLE_COLUMNS].to_string(index=False)
