"""``workbench migrations``: the Alembic history — list it, verify it on a fresh database."""
from __future__ import annotations

from .common import add_format_option, print_json


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "migrations", help="list or verify the Alembic migration history",
        description="Work with the migration history in migrations/ (or --dir).")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the revisions, oldest first")
    verify = actions.add_parser(
        "verify", help="on a fresh scratch database, upgrade, downgrade and upgrade each revision",
        description="Create a scratch database, walk the history from the first revision to the "
        "head (upgrade, downgrade, upgrade again for each), drop the scratch database. "
        "Exit code 1 names the first revision that failed.")
    for sub in (listing, verify):
        sub.add_argument("--dir", help="the migrations folder (default: migrations/ of the project)")
        add_format_option(sub, ("text", "json"))
    verify.add_argument("--dsn", help="admin DSN of the server for the scratch database "
                        "(default: the embedded server)")
    verify.add_argument("--quiet", action="store_true", help="no progress bar")
    listing.set_defaults(run=run_list)
    verify.set_defaults(run=run_verify)


def run_list(args) -> int:
    from ..migrations import ScriptHistory, default_migrations_dir
    from pathlib import Path

    history = ScriptHistory(Path(args.dir) if args.dir else default_migrations_dir())
    revisions = history.revisions()
    if args.format == "json":
        print_json([{"revision": r.id, "down_revision": r.down, "title": r.title.splitlines()[0],
                     "file": r.path.name} for r in revisions])
    else:
        for r in revisions:
            print(f"{r.id}  {r.path.name}")
        print(f"{len(revisions)} revisions, head {history.single_head()}")
    return 0


def run_verify(args) -> int:
    from ..verify import verify_history

    report = verify_history(args.dsn, args.dir, progress=not args.quiet and args.format == "text")
    if args.format == "json":
        print_json(report.to_dict())
    else:
        print(report.text())
    return 0 if report.ok else 1
