"""``workbench diff``: the migration from one schema to another, up and down, proven."""
from __future__ import annotations

import sys

from .common import print_json

EXAMPLES = """\
a source is a DSN, a .sql file (applied to a throwaway database on the embedded server),
or `head` (the migration history's revisions applied to a throwaway database).

examples:
  workbench diff --to desired.sql                  the dev database → desired.sql
  workbench diff --from head --to postgresql://…/dev --format sql > change.sql
  workbench diff --to new.sql --rename public.customers=public.clients
  workbench diff --to new.sql --format json --no-verify

exit codes: 0 done (also when nothing differs), 1 the proof failed, 2 errors, and destructive
changes without --allow-destructive.
"""


def register(subparsers) -> None:
    import argparse

    parser = subparsers.add_parser(
        "diff", help="derive the up and down SQL from one schema to another, and prove them",
        description="Compare two schemas and print the migration between them: ordered up "
        "statements, the down statements that undo them, notes, destructive statements and "
        "possible renames. Unless --no-verify, both directions are applied on a throwaway "
        "database and compared with the schemas (the proof).",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from", dest="source", metavar="SOURCE",
                        help="the current schema (default: --dsn, WORKBENCH_DSN or the nursery demo)")
    parser.add_argument("--to", dest="target", metavar="SOURCE", required=True,
                        help="the desired schema")
    parser.add_argument("--dsn", help="the development database when --from is left out")
    parser.add_argument("--dir", help="the migrations folder for `head` (default: migrations/)")
    parser.add_argument("--schema", action="append", metavar="S",
                        help="only this schema (repeat for several; default: every user schema)")
    parser.add_argument("--rename", action="append", default=[], metavar="OLD=NEW",
                        help="a rename, e.g. public.customers=public.clients or "
                        "public.t.old_col=new_col (repeat for several)")
    parser.add_argument("--allow-destructive", action="store_true",
                        help="allow statements that may lose data (dropped tables or columns…)")
    parser.add_argument("--no-verify", action="store_true",
                        help="skip the proof on a throwaway database")
    parser.add_argument("--format", choices=("text", "sql", "json"), default="text",
                        help="text (default): up, down, notes and proof; sql: only the up SQL, "
                        "ready for psql -f; json: everything, for scripts and CI")
    parser.set_defaults(run=run)


def run(args) -> int:
    from workbench.diff import diff_sql

    renames = parse_renames(args.rename)
    before = load(args.source, args)
    after = load(args.target, args)
    migration = diff_sql(before, after, renames=renames, allow_destructive=args.allow_destructive)
    proof = None if args.no_verify or not migration else migration.verify(None)
    if args.format == "sql":
        sys.stdout.write(migration.psql_script("up"))
    elif args.format == "json":
        print_json({**migration.to_dict(), "proof": proof.to_dict() if proof else None})
    else:
        print(text_report(migration, proof))
    return 1 if proof is not None and not proof.ok else 0


def parse_renames(items: list[str]) -> dict:
    """The ``--rename OLD=NEW`` options as a renames mapping."""
    from workbench.drafts.from_diff import read_renames

    return read_renames(",".join(items))


def load(source: str | None, args):
    """The snapshot of a source: a DSN, a .sql file, or ``head``."""
    import workbench
    from workbench.diff import desired

    if source is None:
        with workbench.connect(args.dsn) as session:
            return workbench.inspect(session, schemas=args.schema)
    if source == "head":
        return desired.from_head(args.dir, schemas=args.schema)
    return desired.from_source(source, schemas=args.schema)


def text_report(migration, proof) -> str:
    if not migration:
        return "no differences: the schemas are the same"
    lines = ["-- up", migration.up_sql.rstrip(), "", "-- down", migration.down_sql.rstrip(), ""]
    lines += [f"note: {n}" for n in migration.notes]
    lines += [f"destructive: {s.destructive}" for s in migration.destructive]
    lines += [f"question: {q.text}" for q in migration.questions]
    if proof is not None:
        lines.append(proof.summary_text())
    return "\n".join(lines)
