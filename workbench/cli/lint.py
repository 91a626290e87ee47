"""``workbench lint``: the schema advisors in a terminal or CI, failing on serious findings."""
from __future__ import annotations

from ..lint.finding import LEVELS
from .common import add_dsn_option, print_json


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "lint", help="advisors: security, performance and convention findings with drafted fixes",
        description="Inspect the database read-only, run the lint rules and print the findings. "
                    "Exit code 1 when findings at or above --fail-on remain.")
    add_dsn_option(parser)
    parser.add_argument("--schema", action="append", metavar="S",
                        help="only this schema (repeat for several; default: every user schema)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="output format (default: text); json is for scripts and CI")
    parser.add_argument("--fail-on", choices=LEVELS, default="error", dest="fail_on",
                        help="exit 1 when a finding at this level or worse remains (default: error)")
    parser.add_argument("--config", metavar="PYPROJECT",
                        help="pyproject.toml (or its folder) with [tool.workbench.lint] "
                             "(default: the project's)")
    parser.set_defaults(run=run)


def run(args) -> int:
    import workbench
    from ..lint import lint, load_config

    config = load_config(getattr(args, "config", None))
    with workbench.connect(args.dsn) as session:
        schema = workbench.inspect(session, schemas=args.schema)
        report = lint(schema, session, config)
    if args.format == "json":
        print_json(report.to_dict())
    else:
        print(report.text())
    return 1 if report.at_or_above(args.fail_on) else 0
