"""``workbench types``: the schema as TypeScript types for the application (Supabase's shape)."""
from __future__ import annotations

import sys

from .common import add_dsn_option


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "types", help="generate TypeScript types of the schema for the application",
        description="Generate the types of the database's tables, views, functions and enums "
        "for the application, in the shape of Supabase's generated Database type. The output "
        "depends only on the schema: regenerating an unchanged schema gives the same file.")
    add_dsn_option(parser)
    parser.add_argument("--schema", action="append", metavar="S",
                        help="only this schema (repeat for several; default: every user schema)")
    parser.add_argument("--lang", choices=("ts",), default="ts",
                        help="the language of the types (default: ts, TypeScript)")
    parser.add_argument("-o", "--output", metavar="PATH",
                        help="the file to write (default: print to standard output)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when the file at -o differs from the schema")
    parser.set_defaults(run=run)


def run(args) -> int:
    import workbench
    from workbench.errors import WorkbenchError
    from workbench.typegen import LANGUAGES, types_status, write_types

    with workbench.connect(args.dsn) as session:
        schema = workbench.inspect(session)
    if args.check:
        if not args.output:
            raise WorkbenchError("--check needs the file to compare", hint="add -o PATH")
        status = types_status(args.output, schema)
        print(status.detail)
        return 0 if status.ok else 1
    if not args.output:
        sys.stdout.write(LANGUAGES[args.lang](schema, args.schema))
        return 0
    path = write_types(schema, args.output, args.schema)
    print(f"wrote {path}")
    return 0
