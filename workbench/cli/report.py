"""``workbench report``: the design-review report of a change, as HTML or Markdown."""
from __future__ import annotations

import sys
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
        "default the revisions the database has not applied yet, else (every one applied, or no "
        "alembic_version table) the newest one only; stderr names the revisions reviewed. "
        "Nothing is changed: the dry run and the RLS probe roll back.")
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
        chosen_by_default = not (args.draft_file or args.revision)
        print(f"workbench report: {reviewed_text(sources, chosen_by_default)}", file=sys.stderr)
        data = review_report(session, sources.drafts, args.output, applied=sources.applied,
                             verify=not args.no_verify, migrations_dir=migrations_dir,
                             types_file=args.types, sources=sources.names)
    print(f"wrote {args.output}")
    print(data.summary_text())
    return 0


WHY_NEWEST = {
    True: "the database has applied every revision",
    None: "the database has no alembic_version table, so which revisions are pending is unknown",
}


def reviewed_text(sources, chosen_by_default: bool) -> str:
    """Which changes the report reviews and, when chosen by default, why those."""
    names = ", ".join(sources.names)
    if not chosen_by_default:
        return f"reviewing {names}"
    if sources.applied is False:
        return f"reviewing the {len(sources.names)} revision(s) the database has not applied: {names}"
    return (f"reviewing only the newest revision, {names} ({WHY_NEWEST[sources.applied]}); "
            "pass --revision PATH (repeatable) to review others")
