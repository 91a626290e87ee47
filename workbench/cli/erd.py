"""``workbench erd``: draw an ER diagram of a database into a file (svg, png, dot, mmd, dbml)."""
from __future__ import annotations

from .common import add_dsn_option


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "erd", help="draw an ER diagram: a whole schema, or one table's neighbourhood",
        description="Draw an ER diagram of the database into a file; the format comes from the "
        "file's extension: .svg, .png, .dot, .mmd (Mermaid) or .dbml.")
    add_dsn_option(parser)
    parser.add_argument("-o", "--output", required=True, metavar="PATH",
                        help="the file to write (.svg, .png, .dot, .mmd, .dbml)")
    parser.add_argument("--focus", action="append", metavar="T",
                        help="a table to centre on: name or schema.name (repeat for several)")
    parser.add_argument("--depth", type=int, default=1, metavar="N",
                        help="foreign-key steps from the focus table (default 1)")
    parser.add_argument("--direction", choices=("both", "parents", "children", "any"),
                        default="both", help="which way to follow foreign keys (default both)")
    parser.add_argument("--schema", action="append", metavar="S",
                        help="only this schema (repeat for several; default: every user schema)")
    parser.add_argument("--include", action="append", metavar="GLOB",
                        help="only tables matching this pattern, e.g. 'order*' (repeatable)")
    parser.add_argument("--exclude", action="append", metavar="GLOB",
                        help="leave out tables matching this pattern (repeatable)")
    parser.add_argument("--columns", choices=("auto", "all", "keys", "none"), default="auto",
                        help="which columns to show (default auto: fewer on large diagrams)")
    parser.add_argument("--hide-audit", action="store_true",
                        help="hide created_at/updated_at/created_by/updated_by and their keys")
    parser.add_argument("--audit-edges", action="store_true",
                        help="draw the foreign keys of created_by/updated_by as lines "
                        "(by default a mark on the column: uuid → auth.users)")
    parser.add_argument("--implied", action="store_true",
                        help="also draw, dashed, columns that look like foreign keys but are not")
    parser.add_argument("--sizes", action="store_true", help="show row estimates and sizes")
    parser.set_defaults(run=run)


def run(args) -> int:
    import workbench
    from workbench.erd import erd

    with workbench.connect(args.dsn) as session:
        schema = workbench.inspect(session)
    diagram = erd(schema, args.focus, depth=args.depth, direction=args.direction,
                  schemas=args.schema, include=args.include, exclude=args.exclude,
                  columns=args.columns, hide_audit=args.hide_audit,
                  audit_edges=args.audit_edges, implied=args.implied, sizes=args.sizes)
    path = diagram.save(args.output)
    print(f"wrote {path}: {diagram.title}")
    for note in diagram.notes:
        print(f"  note: {note}")
    return 0
