"""``workbench report``: the design-review report of a change, as HTML or Markdown."""
from __future__ import annotations

from pathlib import Path

from .common import add_dsn_option

DEFAULT_OUTPUT = "review-report.html"


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "report", help="write the design-review report of a change (HTML or Markdown)",
        description="Write the report a reviewer signs off: the ER diagram of the touched tables, "
        "the Drafts with their up and down SQL, the safety and advisor findings, the dry-run diff, "
        "the RLS matrix, the verify result and a completion checklist ticked from facts. The "
        "change is read from SQL files (--draft-file) or exported revisions (--revision); by "
        "default the revisions the database has not applied yet, else the newest one. Nothing "
        "is changed: the dry run and the RLS probe roll back.")
    add_dsn_option(parser)
    parser.add_argument("--draft-file", action="append", default=[], metavar="F.sql",
                        help="a change as SQL (NAME.sql or NAME.up.sql; its down SQL from "
                        "NAME.down.sql beside it); repeat for several, in order")
    parser.add_argument("--revision", action="append", default=[], metavar="PATH",
                        help="an exported revision file (repeat for several, in order)")
    parser.add_argument("--dir", help="the migrations folder (default: migrations/ of the project)")
    parser.add_argument("--types", metavar="PATH",
                        help="the application's generated types file to check (default: "
                        "types_file in [tool.workbench.report])")
    parser.add_argument("--no-verify", action="store_true",
                        help="do not verify the migration history (faster; the item stays unticked)")
    parser.add_argument("-o", "--output", default=DEFAULT_OUTPUT, metavar="PATH",
                        help=f"the report file: .html, or .md for Markdown (default: {DEFAULT_OUTPUT})")
    parser.set_defaults(run=run)


def run(args) -> int:
    import workbench
    from workbench.report import review_report
    from workbench.report.sources import collect

    migrations_dir = Path(args.dir) if args.dir else None
    with workbench.connect(args.dsn) as session:
        sources = collect(session.dsn, args.draft_file, args.revision, migrations_dir)
        data = review_report(session, sources.drafts, args.output, applied=sources.applied,
                             verify=not args.no_verify, migrations_dir=migrations_dir,
                             types_file=args.types, sources=sources.names)
    print(f"wrote {args.output}")
    print(data.summary_text())
    return 0
