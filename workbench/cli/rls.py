"""``workbench rls probe``: can one tenant reach another tenant's rows? Exit 1 when it can."""
from __future__ import annotations

from .common import add_dsn_option, add_format_option, print_json


def register(subparsers) -> None:
    """Add ``rls probe`` to the command line."""
    parser = subparsers.add_parser(
        "rls", help="Row Level Security: probe tenant isolation",
        description="Check Row Level Security by impersonating tenants.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    probe = actions.add_parser(
        "probe", help="impersonate two tenants and try to reach each other's rows",
        description="In a transaction that is always rolled back, make two tenants with a row in "
        "every table, then, as each tenant (role authenticated with its JWT claims), try to read, "
        "insert, update and delete the other tenant's rows. Prints a matrix of table × command "
        "× verdict (isolated, LEAK, not probed, no RLS). Exit code 1 on any cross-tenant access "
        "(a LEAK, or a tenant table without RLS), naming the table, command and policy.")
    add_dsn_option(probe)
    probe.add_argument("--table", action="append", metavar="T",
                       help="only this table (repeat for several; default: every table of the "
                            "schemas the API roles may use)")
    add_format_option(probe, ("text", "json"))
    probe.set_defaults(run=run)


def run(args) -> int:
    """Probe, print the report, exit 1 on any cross-tenant access."""
    import workbench
    from ..errors import WorkbenchError
    from ..verify.rls import probe

    with workbench.connect(args.dsn) as session:
        report = probe(session, tables=args.table)
    if report.skipped:
        raise WorkbenchError(f"nothing was probed: {report.skipped}")
    if args.format == "json":
        print_json(report.to_dict())
    else:
        print(report.text())
    return 0 if report.ok else 1
