"""The ``workbench`` command for terminals and CI.

Each subcommand lives in its own module with ``register(subparsers)`` and a ``run(args)``;
errors the user can act on print as a clear message with exit code 2, never a traceback;
anything else is a crash: one line on stderr, the traceback saved to a file, exit code 3.
"""
from __future__ import annotations

import argparse
import sys

from ..dsn import dsn_from_env, scrub
from ..errors import WorkbenchError
from .crash import report_crash
from . import advise, demo, diff, erd, explain, inspect, lab, lint, locks, mcp, migrations, report, rls, server, types

COMMANDS = (inspect, erd, lint, explain, advise, diff, locks, rls, types, report, demo, migrations, mcp, server,
            lab)

EPILOG = """\
Without --dsn (or WORKBENCH_DSN) the commands use the embedded PostgreSQL kept in
.workbench/ under the project, started on first use, with the demo databases.

examples:
  workbench demo                              build the nursery and agent demo databases
  workbench inspect --schema nursery          list the tables of the nursery demo
  workbench inspect --format json             the whole snapshot as JSON, for scripts and CI
  workbench erd --focus orders -o orders.svg  one table's neighbourhood as a diagram
  workbench lint --fail-on error              the advisors' findings; exit 1 when errors remain
  workbench rls probe                         can one tenant reach another's rows?
  workbench explain 'SELECT …'                a query plan in plain words
  workbench advise -f queries.sql             indexes for a workload, proven by what-if costing
  workbench diff --to desired.sql             the migration to a desired schema, up and down, proven
  workbench locks -f migration.sql            a migration's locks, rewrites, scans, measured
  workbench types -o database.ts              TypeScript types of the schema (Supabase's shape)
  workbench report -o review.html             the design-review report of the pending revisions
  workbench migrations verify                 up/down/up every revision on a fresh database
  workbench mcp                               the tools for a coding agent (MCP over stdio)
  workbench mcp --allow-apply                 … and let it apply Drafts whose dry run passed
  workbench lab                               open JupyterLab on notebooks/

exit codes:
  0  success
  1  the check failed: lint findings at --fail-on, an RLS leak, a failed verify or diff
     proof, drift, types --check differs, server status finds the server stopped
  2  usage or user error: a message says what is wrong and what to do
  3  crash (a bug): one line names it and the file holding the full traceback
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Schema Workbench: inspect, draw, explain, review and change PostgreSQL schemas.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``workbench`` console script; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser().parse_args(argv)
    dsn = getattr(args, "dsn", None)
    try:
        return args.run(args) or 0
    except WorkbenchError as exc:
        print(f"workbench {command_name(args)}: error: {scrub(exc.message, dsn)}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into head or less, closed early
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: not the user's to fix, and not a finding either
        return report_crash(command_name(args), exc, argv, connection_strings(args))


def command_name(args) -> str:
    """The subcommand as typed, with its action: ``inspect``, ``migrations verify``."""
    action = getattr(args, "action", None)
    return f"{args.command} {action}" if action else args.command


def connection_strings(args) -> list[str]:
    """The texts that may hold a DSN with a password: WORKBENCH_DSN and the text options
    (--dsn, --drift, --scratch-dsn…)."""
    options = [value for value in vars(args).values() if isinstance(value, str)]
    return [dsn_from_env() or "", *options]


if __name__ == "__main__":
    sys.exit(main())
