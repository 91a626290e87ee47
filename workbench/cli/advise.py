"""``workbench advise``: indexes for a workload, costed what-if and proven by measurement."""
from __future__ import annotations

from .common import add_dsn_option, add_format_option, print_json


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "advise", help="recommend indexes for a workload (a .sql file or pg_stat_statements)",
        description="Propose candidate indexes for each query, cost them what-if (HypoPG, or real "
                    "indexes in a rolled-back transaction), choose a small set for the whole "
                    "workload and measure it before/after. Nothing in the database is changed.")
    add_dsn_option(parser)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("-f", "--file", metavar="QUERIES.sql",
                        help="the workload: statements separated by semicolons; a comment line before "
                             "a statement labels it, '-- calls: N' weights it")
    source.add_argument("--pg-stat-statements", action="store_true",
                        help="the workload: the statements that took most time, from pg_stat_statements")
    source.add_argument("--demo", metavar="NAME",
                        help="the workload of a demo database (nursery: 15 app queries), on that demo "
                             "(built when missing) unless --dsn names another copy")
    parser.add_argument("--method", choices=("auto", "hypopg", "real"), default="auto",
                        help="what-if costing (default: HypoPG when available, else real indexes rolled back)")
    parser.add_argument("--no-measure", action="store_true",
                        help="estimate only; do not run the queries before and after")
    parser.add_argument("--max-indexes", type=int, default=20, metavar="N",
                        help="recommend at most N indexes (default: 20)")
    parser.add_argument("--max-size", metavar="SIZE",
                        help="a storage budget (160MB, 1.5GB) for the indexes of the tables the workload "
                             "reads: the existing ones kept count against it, unused ones are proposed "
                             "for dropping in a Draft of their own")
    parser.add_argument("--drop-unused", action="store_true",
                        help="propose dropping the existing indexes the workload does not use, "
                             "also without --max-size")
    parser.add_argument("--as-role", metavar="ROLE",
                        help="plan, cost and time every query as ROLE (e.g. authenticated), so Row "
                             "Level Security policies apply; by default as the smallest, a median "
                             "and the largest tenant")
    parser.add_argument("--claims", metavar="JSON", action="append",
                        help="with --as-role: the JWT claims of a tenant to run as "
                             "('{\"sub\": \"<user uuid>\"}'); repeat for several tenants")
    parser.add_argument("--limit", type=int, default=50, metavar="N",
                        help="with --pg-stat-statements: the N statements with the most total time (default: 50)")
    add_format_option(parser, choices=("text", "json"))
    parser.set_defaults(run=run)


def run(args) -> int:
    import workbench
    from ..indexes import Limits, advise, queries_from_file, queries_from_pg_stat_statements
    from ..indexes.budget import parse_size
    from ..samples import demo_workload

    check_options(args)
    max_size = parse_size(args.max_size) if args.max_size is not None else None  # a bad size fails first
    workload = demo_workload(args.demo) if args.demo else None  # an unknown demo fails here, first
    dsn = args.dsn or (workbench.demo_dsn(args.demo) if args.demo else None)
    with workbench.connect(dsn) as session:
        if args.pg_stat_statements:
            queries = queries_from_pg_stat_statements(session, limit=args.limit)
        elif workload is not None:
            queries = queries_from_file(workload)
        else:
            queries = queries_from_file(args.file)
        advice = advise(session, queries, method=args.method, measure=not args.no_measure,
                        limits=Limits(max_indexes=args.max_indexes), progress=True, max_size=max_size,
                        drop_unused=True if args.drop_unused else None, as_role=args.as_role,
                        tenants=tenant_claims(args.claims))
    if args.format == "json":
        print_json(advice.to_dict())
    else:
        print(advice.summary_text())
    return 0


def check_options(args) -> None:
    """--claims needs --as-role."""
    from ..errors import WorkbenchError

    if args.claims and not args.as_role:
        raise WorkbenchError("--claims needs --as-role", hint="add --as-role authenticated (or the role the app uses)")


def tenant_claims(claims: list[str] | None):
    """The tenants to run as: the claims given (each a JSON object), else the sample tenants."""
    import json

    from ..errors import WorkbenchError

    if not claims:
        return True
    found = []
    for text in claims:
        try:
            found.append(json.loads(text))
        except json.JSONDecodeError as exc:
            raise WorkbenchError(f"--claims is not JSON: {exc.msg}", where=text[:80],
                                 hint='give a JSON object: --claims \'{"sub": "<user uuid>"}\'') from None
    return found
