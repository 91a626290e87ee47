"""The RLS probe's findings: one result per table and command, as a matrix, text, JSON or
coloured HTML, and :meth:`ProbeReport.require_isolation` for tests and CI."""
from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field

from ...errors import WorkbenchError

ISOLATED, LEAK, NOT_PROBED, NO_RLS = "isolated", "LEAK", "not probed", "no RLS"
VERDICTS = (ISOLATED, LEAK, NOT_PROBED, NO_RLS)
COMMANDS = ("SELECT", "INSERT", "UPDATE", "DELETE")
COLOURS = {ISOLATED: "#d9f2d9", LEAK: "#f8c9c4", NOT_PROBED: "#eeeeee", NO_RLS: "#fde3b5"}
MATRIX_COLUMNS = ["table", "command", "verdict", "own", "detail", "policies", "tenancy", "failing"]


@dataclass(frozen=True)
class ProbeResult:
    """One table and command: the ``verdict`` for other tenants' rows, what the tenant may do
    with its ``own`` rows (``allowed``, ``blocked``, ``error``; empty when not tried), the
    policies involved, and whether it is a ``failing`` result (a leak)."""

    table: str
    command: str
    verdict: str
    detail: str = ""
    policies: tuple[str, ...] = ()
    own: str = ""
    tenancy: str = ""
    failing: bool = False

    def line(self) -> str:
        """One line naming the table, command, verdict, detail and policies."""
        policies = f" [policy: {', '.join(self.policies)}]" if self.policies else ""
        return f"{self.table} {self.command}: {self.verdict}: {self.detail}{policies}"


@dataclass(frozen=True)
class ProbeReport:
    """What :func:`workbench.verify.rls.probe` found, table by table; ``skipped`` says
    why nothing could be probed (no users to impersonate)."""

    results: tuple[ProbeResult, ...] = ()
    database: str = ""
    tenancy: str = ""
    seconds: float = field(default=0.0, compare=False)
    skipped: str = ""

    @property
    def matrix(self):
        """DataFrame: one row per table and command."""
        import pandas as pd

        rows = [{**asdict(r), "policies": ", ".join(r.policies)} for r in self.results]
        return pd.DataFrame(rows, columns=MATRIX_COLUMNS)

    @property
    def failures(self) -> tuple[ProbeResult, ...]:
        """Every cross-tenant access found: leaks, and tenant tables without RLS."""
        return tuple(r for r in self.results if r.failing)

    @property
    def leaks(self) -> tuple[ProbeResult, ...]:
        """The results where one tenant reached another's rows through the policies."""
        return tuple(r for r in self.results if r.verdict == LEAK)

    @property
    def ok(self) -> bool:
        """True when no tenant can reach another tenant's rows in any probed table."""
        return not self.failures

    @property
    def tables(self) -> tuple[str, ...]:
        """The tables probed, in order."""
        return tuple(dict.fromkeys(r.table for r in self.results))

    def counts(self) -> dict[str, int]:
        """How many results have each verdict."""
        return {v: sum(r.verdict == v for r in self.results) for v in VERDICTS}

    def summary(self) -> str:
        """One line: the database, tables, verdict counts and the outcome."""
        if self.skipped:
            return f"RLS probe of {self.database or 'the database'} skipped: {self.skipped}"
        counts = ", ".join(f"{n} {v}" for v, n in self.counts().items() if n)
        outcome = "tenants are isolated" if self.ok else f"{len(self.failures)} cross-tenant access(es)"
        return (f"RLS probe of {self.database or 'the database'}: {len(self.tables)} tables, "
                f"{counts or 'nothing probed'}: {outcome}")

    def text(self) -> str:
        """The summary, the failures, then the matrix as aligned text."""
        lines = [self.summary()]
        if self.tenancy:
            lines.append(f"tenancy: {self.tenancy}")
        if self.failures:
            lines += ["", "Cross-tenant access:"] + [f"  {r.line()}" for r in self.failures]
        if self.results:
            lines += ["", matrix_text(self.results)]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return f"<ProbeReport {self.summary()}>"

    def to_dict(self) -> dict:
        """A JSON-serialisable form: summary, tenancy and every result."""
        return {"database": self.database, "ok": self.ok, "skipped": self.skipped, "tenancy": self.tenancy,
                "counts": self.counts(), "seconds": round(self.seconds, 3),
                "failures": [asdict(r) for r in self.failures],
                "results": [asdict(r) for r in self.results]}

    def require_isolation(self) -> ProbeReport:
        """Raise a WorkbenchError naming each table, command and policy that lets one tenant
        reach another's rows (or saying why nothing could be probed); return the report when
        there is none."""
        if self.skipped:
            raise WorkbenchError(f"tenant isolation was not probed: {self.skipped}")
        if self.ok:
            return self
        raise WorkbenchError(
            f"cross-tenant access in {len(self.failures)} place(s): "
            + "; ".join(r.line() for r in self.failures),
            where=", ".join(dict.fromkeys(r.table for r in self.failures)),
            hint="scope the named policies to the tenant (USING and WITH CHECK), and enable "
                 "Row Level Security on tenant tables")

    def _repr_html_(self) -> str:
        return report_html(self)


def matrix_text(results) -> str:
    """Tables down, commands across: each cell the verdict (``/blocked`` when the tenant
    cannot use its own rows)."""
    tables = list(dict.fromkeys(r.table for r in results))
    cells = {(r.table, r.command): cell_text(r) for r in results}
    width = max(len(t) for t in tables)
    widths = [max([len(c)] + [len(cells.get((t, c), "")) for t in tables]) for c in COMMANDS]

    def line(first: str, values) -> str:
        return " ".join([f"{first:<{width}}"] + [f"{v:<{w}}" for v, w in zip(values, widths)]).rstrip()

    head = line("table", COMMANDS)
    rows = [line(t, [cells.get((t, c), "") for c in COMMANDS]) for t in tables]
    return "\n".join([head] + rows)


def cell_text(result: ProbeResult) -> str:
    """A matrix cell: the verdict, ``/blocked`` when own rows are blocked."""
    own = "/blocked" if result.own == "blocked" and result.verdict == ISOLATED else ""
    return result.verdict + own


def report_html(report: ProbeReport) -> str:
    """The matrix as an HTML table, cells coloured by verdict, details as tooltips."""
    cells = {(r.table, r.command): r for r in report.results}
    head = "".join(f"<th>{c}</th>" for c in COMMANDS)
    rows = "".join(f"<tr><th style='text-align:left'>{html.escape(t)}</th>"
                   + "".join(html_cell(cells.get((t, c))) for c in COMMANDS) + "</tr>"
                   for t in report.tables)
    legend = " ".join(f"<span style='background:{COLOURS[v]};padding:0 4px'>{html.escape(v)}</span>"
                      for v in VERDICTS)
    failures = "".join(f"<li>{html.escape(r.line())}</li>" for r in report.failures)
    return (f"<p><b>{html.escape(report.summary())}</b></p>"
            + (f"<p>{html.escape(report.tenancy)}</p>" if report.tenancy else "")
            + (f"<ul>{failures}</ul>" if failures else "")
            + f"<table><tr><th>table</th>{head}</tr>{rows}</table><p>{legend}</p>")


def html_cell(result: ProbeResult | None) -> str:
    """A coloured table cell with the detail as tooltip."""
    if result is None:
        return "<td></td>"
    title = html.escape(result.line(), quote=True)
    weight = "bold" if result.failing else "normal"
    return (f"<td style='background:{COLOURS[result.verdict]};font-weight:{weight}' "
            f"title=\"{title}\">{html.escape(cell_text(result))}</td>")
