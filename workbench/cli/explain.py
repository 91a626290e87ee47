"""``workbench explain``: a query's plan in plain words, with its hot spots."""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import WorkbenchError
from .common import add_dsn_option, add_format_option, print_json


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "explain", help="explain a query's plan in plain words and point at its hot spots",
        description="EXPLAIN one statement and tell what the plan does and where it is slow. "
                    "--analyze runs it inside a transaction that is rolled back; $1-style "
                    "parameters without --param values get the generic plan.")
    add_dsn_option(parser)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("sql", nargs="?", help="the statement to explain")
    source.add_argument("-f", "--file", metavar="FILE", help="read the statement from FILE ('-' for stdin)")
    parser.add_argument("--analyze", action="store_true",
                        help="run the statement (rolled back) and report actual rows, times and buffers")
    parser.add_argument("--param", action="append", metavar="VALUE",
                        help="a value for $1, $2 … in order (repeat for several)")
    add_format_option(parser, choices=("text", "json"))
    parser.set_defaults(run=run)


def read_sql(args) -> str:
    """The statement from the argument, a file, or stdin."""
    if args.sql is not None:
        return args.sql
    if args.file == "-":
        return sys.stdin.read()
    try:
        return Path(args.file).read_text()
    except OSError as exc:
        raise WorkbenchError(f"cannot read {args.file}: {exc.strerror}", hint="check the file name") from None


def run(args) -> int:
    import workbench
    from ..plans import explain
    from ..plans.display import plan_text

    sql = read_sql(args)
    with workbench.connect(args.dsn) as session:
        plan = explain(session, sql, analyze=args.analyze, params=args.param)
    if args.format == "json":
        print_json(plan.to_dict())
    else:
        print(plan_text(plan))
    return 0
