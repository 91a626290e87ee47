"""``workbench locks``: what a migration locks, rewrites and reads, measured in a rolled-back
transaction on the real data, and whether any lock stops reads or writes for too long."""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import WorkbenchError
from .common import add_dsn_option, add_format_option, print_json


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "locks", help="trace a migration's locks, rewrites and scans on the real data (rolled back)",
        description="Run each statement of a migration in a transaction that is rolled back, with "
                    "lock_timeout set, and report the locks it took (from pg_locks), the tables "
                    "it rewrote or read to validate, how long it ran and how long its locks stay "
                    "held, and who waits meanwhile. Statements that cannot run in a transaction "
                    "(CREATE INDEX CONCURRENTLY, VACUUM…) get their documented locks. Exit code 1 "
                    "when a lock stops reads or writes for longer than --fail-over.")
    add_dsn_option(parser)
    parser.add_argument("-f", "--file", metavar="MIGRATION.sql", required=True,
                        help="the migration's SQL ('-' for stdin)")
    add_format_option(parser, choices=("text", "json"))
    parser.add_argument("--fail-over", metavar="DURATION", dest="fail_over",
                        help="exit 1 when a lock that stops reads or writes is held longer than "
                             "this (500ms, 2s…)")
    parser.add_argument("--lock-timeout", metavar="DURATION", default="2s", dest="lock_timeout",
                        help="give up on a statement that waits longer for a lock (default: 2s)")
    parser.add_argument("--production-rows", metavar="TABLE=ROWS", action="append", default=[],
                        dest="production_rows",
                        help="scale times by the row ratio to production (repeat per table), "
                             "e.g. nursery.orders=12000000; the times become estimates")
    parser.add_argument("--no-squawk", action="store_true", dest="no_squawk",
                        help="do not compare with squawk's static verdicts")
    parser.set_defaults(run=run)


def read_sql(name: str) -> str:
    """The migration from a file, or stdin for '-'."""
    if name == "-":
        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise WorkbenchError(f"cannot read {name}: {reason}",
                             hint="give the path of a .sql file, or - for stdin") from None


def production_rows(items: list[str]) -> dict[str, int]:
    """``{"schema.table": rows}`` from ``TABLE=ROWS`` items."""
    result = {}
    for item in items:
        table, _, rows = item.partition("=")
        if not table.strip() or not rows.strip().replace("_", "").isdigit():
            raise WorkbenchError(f"bad --production-rows {item!r}",
                                 hint="write TABLE=ROWS, e.g. nursery.orders=12000000")
        result[table.strip()] = int(rows.strip().replace("_", ""))
    return result


def run(args) -> int:
    import workbench
    from ..drafts.sqltext import check_sql
    from ..impact import parse_duration, trace

    fail_over = parse_duration(args.fail_over) if args.fail_over is not None else None
    lock_timeout = f"{parse_duration(args.lock_timeout):g}ms"
    scale = production_rows(args.production_rows)
    sql = read_sql(args.file)
    check_sql(sql, label=args.file)
    with workbench.connect(args.dsn) as session:
        found = trace(session, sql, production_rows=scale, lock_timeout=lock_timeout,
                      squawk=not args.no_squawk)
    failures = found.failures(fail_over) if fail_over is not None else []
    if args.format == "json":
        print_json({**found.to_dict(), "fail_over_ms": fail_over, "failures": failures})
    else:
        print(found.text())
        for failure in failures:
            print(f"over --fail-over {args.fail_over}: {failure}")
    return 1 if failures else 0
