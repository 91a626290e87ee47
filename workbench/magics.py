"""IPython magics: ``%workbench`` connects and shows the database; ``%%explain`` shows a
cell's query plan in plain words.

Load with ``%load_ext workbench.magics``, then ``%workbench`` (the current database),
``%workbench connect [DSN]`` (a new ``session`` variable, on the demo database by default), or::

    %%explain --analyze
    SELECT … FROM nursery.tasks WHERE …

Options: ``--analyze`` (run it, rolled back), ``--param VALUE`` (for ``$1``, repeatable),
``--session NAME`` (a Session variable of the notebook; default: a variable called
``session``, else ``workbench.connect()``), ``--dsn DSN``, ``-o NAME`` (keep the Plan).
"""
from __future__ import annotations

import sys

from IPython.core.magic import Magics, cell_magic, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring

from .errors import WorkbenchError


@magics_class
class WorkbenchMagics(Magics):
    """The workbench's notebook magics."""

    def __init__(self, shell=None):
        super().__init__(shell)
        self._sessions: dict[str | None, object] = {}

    def session(self, name: str | None, dsn: str | None):
        """The Session to use: the named variable, ``session``, or a connection kept for the notebook."""
        from .session import Session

        namespace = self.shell.user_ns if self.shell is not None else {}
        if name is not None:
            if not isinstance(namespace.get(name), Session):
                raise WorkbenchError(f"no Session called {name!r} in the notebook",
                                     hint="create one with session = workbench.connect()")
            return namespace[name]
        if dsn is None and isinstance(namespace.get("session"), Session):
            return namespace["session"]
        if dsn not in self._sessions or self._sessions[dsn].conn.closed:
            import workbench

            self._sessions[dsn] = workbench.connect(dsn)
        return self._sessions[dsn]

    @magic_arguments()
    @argument("action", nargs="?", choices=("show", "connect"), default="show",
              help="show the current database (default), or connect and set `session`")
    @argument("dsn", nargs="*", help="with connect: the DSN (default: WORKBENCH_DSN or the demo)")
    @argument("--database", help="with connect: another database of the same server")
    @line_magic
    def workbench(self, line: str):
        """``%workbench``: the database the notebook works on; ``%workbench connect [DSN]``."""
        args = parse_argstring(self.workbench, line)
        try:
            if args.action == "connect":
                import workbench

                dsn = " ".join(args.dsn) or None  # a key=value DSN has spaces
                self.shell.user_ns["session"] = workbench.connect(dsn, database=args.database)
            return describe(self.session(None, None))
        except WorkbenchError as exc:
            print(exc.message, file=sys.stderr)
            return None

    @magic_arguments()
    @argument("--analyze", action="store_true", help="run the statement (rolled back) for actual figures")
    @argument("--param", action="append", metavar="VALUE", help="a value for $1, $2 … (repeatable)")
    @argument("--session", metavar="NAME", help="the notebook variable holding the Session")
    @argument("--dsn", help="connect to this DSN instead")
    @argument("-o", "--output", metavar="NAME", help="store the Plan in this notebook variable")
    @cell_magic
    def explain(self, line: str, cell: str):
        """Explain the cell's SQL statement: narrative, hot spots and node table."""
        from .plans import explain

        args = parse_argstring(self.explain, line)
        try:
            plan = explain(self.session(args.session, args.dsn), cell, analyze=args.analyze,
                           params=args.param)
        except WorkbenchError as exc:
            print(exc.message, file=sys.stderr)
            return None
        if args.output:
            self.shell.user_ns[args.output] = plan
        return plan


def describe(session) -> str:
    """One line about the session's database: name, user and server, free of local paths."""
    from .session import describe_dsn

    return describe_dsn(session.dsn, session.conn.info.server_version)


def load_ipython_extension(ipython) -> None:
    """Register the magics (``%load_ext workbench.magics``)."""
    ipython.register_magics(WorkbenchMagics)
