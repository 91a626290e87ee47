"""``workbench migrations``: the Alembic history — list it, verify it on fresh databases, and
show where one database stands against it."""
from __future__ import annotations

from pathlib import Path

from .common import add_format_option, print_json

SKIPPABLE = ("convergence", "data", "rls", "advisors")
DEFAULT_FAIL_OVER = "1s"


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "migrations", help="list, verify or check the status of the Alembic migration history",
        description="Work with the migration history in migrations/ (or --dir).")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the revisions, oldest first")
    verify = actions.add_parser(
        "verify", help="check every revision on fresh scratch databases",
        description="On a scratch database, walk the history from the first revision to the head: "
        "upgrade, downgrade and upgrade again each revision, comparing the schema after each step "
        "(the downgrade must restore it). On a second scratch database, upgrade to head in one go, "
        "then compare with the stairway, with --drift's database, load seed.sql, run "
        "invariants/*.sql, the RLS probe and the advisors. Both databases are dropped after. "
        "With --impact, then trace on that database the revisions it has not applied (every "
        "revision when it has no alembic_version), in order, each in a transaction of its own, "
        "rolled back: the locks each statement takes, what it rewrites or reads, how long it "
        "runs and holds its locks. Exit code 1 names the first revision or check that failed, "
        "or a lock that blocks reads or writes longer than --fail-over.")
    status = actions.add_parser(
        "status", help="head, the database's current revision, pending revisions, drift",
        description="Show the history's head, the revision the database records in "
        "alembic_version, and the revisions still to apply. With --drift, also build the history "
        "up to that revision on a scratch database and list what differs (exit code 1 on drift).")
    generate = actions.add_parser(
        "generate", help="write a revision of what changed between the head and a desired schema",
        description="Build the history's head on a throwaway database, diff it with --to (a DSN "
        "or a .sql file), prove the derived up and down SQL both ways, and write them as a new "
        "revision through the export (one head, idempotent). Nothing is written when the proof "
        "fails or nothing differs.")
    for sub in (listing, verify, status, generate):
        sub.add_argument("--dir", help="the migrations folder (default: migrations/ of the project)")
        add_format_option(sub, ("text", "json"))
    add_verify_options(verify)
    add_status_options(status)
    add_generate_options(generate)
    generate.set_defaults(run=run_generate)
    listing.set_defaults(run=run_list)
    verify.set_defaults(run=run_verify)
    status.set_defaults(run=run_status)


def add_verify_options(verify) -> None:
    verify.add_argument("--dsn", help="admin DSN of the server for the scratch databases, with the "
                        "right to create databases (default: the embedded server)")
    verify.add_argument("--drift", metavar="DEV_DSN",
                        help="also compare this development database with the head schema")
    verify.add_argument("--skip", action="append", choices=SKIPPABLE, default=[],
                        help="leave out a step (repeat for several)")
    verify.add_argument("--quiet", action="store_true", help="no progress bar")
    verify.add_argument("--impact", metavar="DEV_DSN",
                        help="also trace the revisions this development database has not applied "
                        "(rolled back) and show their locks, rewrites and times")
    verify.add_argument("--fail-over", metavar="DURATION", dest="fail_over",
                        help=f"with --impact: fail when a lock that blocks reads or writes is held "
                        f"longer than this (500ms, 2s…; default: {DEFAULT_FAIL_OVER})")


def add_status_options(status) -> None:
    status.add_argument("--dsn", help="the database to check (default: WORKBENCH_DSN, else the "
                        "embedded nursery demo)")
    status.add_argument("--drift", action="store_true",
                        help="compare the database with the schema the history builds")
    status.add_argument("--scratch-dsn", help="admin DSN of the server for the scratch database "
                        "of --drift (default: the server of --dsn)")


def add_generate_options(generate) -> None:
    generate.add_argument("-m", "--message", required=True, help="the revision's title")
    generate.add_argument("--to", required=True, metavar="DSN|FILE.sql", help="the desired schema")
    generate.add_argument("--schema", action="append", metavar="S",
                          help="only this schema (repeat for several)")
    generate.add_argument("--rename", action="append", default=[], metavar="OLD=NEW",
                          help="a rename (schema.old=schema.new, schema.t.old_col=new_col)")
    generate.add_argument("--allow-destructive", action="store_true",
                          help="allow statements that may lose data")
    generate.add_argument("--by", help="who approves the revision (default: the system user)")


def run_generate(args) -> int:
    """Write the revision, or say that nothing differs."""
    import getpass

    from ..diff.generate import generate_revision
    from .diff import parse_renames

    done = generate_revision(args.message, args.to, migrations_dir=args.dir,
                             approved_by=args.by or getpass.getuser(),
                             renames=parse_renames(args.rename),
                             allow_destructive=args.allow_destructive, schemas=args.schema)
    if args.format == "json":
        print_json({"written": str(done.path) if done.path else None,
                    "up": done.draft.up if done.draft else "", "down": done.draft.down if done.draft else "",
                    "proof": done.draft.proof.to_dict() if done.draft else None})
    elif done.path is None:
        print("nothing to generate: the head already has the desired schema")
    else:
        print(f"wrote {done.path}\n{done.draft.proof.summary_text()}")
    return 0


def run_list(args) -> int:
    from ..migrations import ScriptHistory, default_migrations_dir

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
    """Print every step's verdict; exit code 1 when any step failed."""
    from ..verify import verify

    skip = {name: False for name in args.skip}
    fail_over_ms = fail_over_of(args)
    report = verify(args.dsn, args.dir, drift=args.drift, impact=args.impact, fail_over_ms=fail_over_ms,
                    progress=not args.quiet and args.format == "text", **skip)
    if args.format == "json":
        print_json(report.to_dict())
    else:
        print(report.text(detail=True))
    return 0 if report.ok else 1


def fail_over_of(args) -> float:
    """--fail-over in milliseconds; it needs --impact."""
    from ..errors import WorkbenchError
    from ..impact.durations import parse_duration

    if args.fail_over is not None and not args.impact:
        raise WorkbenchError("--fail-over needs --impact DEV_DSN",
                             hint="give the development database whose pending revisions to trace")
    return parse_duration(args.fail_over or DEFAULT_FAIL_OVER)


def run_status(args) -> int:
    """Print the status; exit code 1 when --drift finds differences."""
    from .. import embedded_dsn
    from ..dsn import dsn_from_env
    from ..verify import migration_status

    dsn = args.dsn or dsn_from_env() or embedded_dsn("nursery")
    status = migration_status(dsn, args.dir, drift=args.drift, scratch_dsn=args.scratch_dsn)
    if args.format == "json":
        print_json(status.to_dict())
    else:
        print(status.text())
    return 1 if status.drift and not status.drift.ok else 0
