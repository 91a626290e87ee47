"""Safety checks on a Draft: squawk's migration rules and the workbench's own RLS and tenancy
rules, with positions in the up SQL and, where one can be written, a safer Draft.

``check(draft, schema=None, config=None)`` returns a :class:`SafetyReport`; when squawk is not
installed the report says so and the workbench's own checks still run.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field

from .draft import Draft
from .positions import char_column, offset_of, position, statement_number, statement_starts
from .safety_rules import CHECKS, Context, Hit
from .sqltext import check_sql
from .squawk import SquawkRun, pg_version_of, run_squawk
from .teamconfig import team_config
from .transactional import transactional_statements

LEVELS = ("error", "warn", "info")
SQUAWK_LEVELS = {"error": "error", "warning": "warn"}


@dataclass(frozen=True)
class SafetyFinding:
    """One finding: its ``source`` (``squawk`` or ``workbench``), rule, level, message, the
    statement number and 1-based line/column in the up SQL, and a safer Draft when known."""

    source: str
    rule: str
    level: str
    message: str
    statement: int | None
    line: int
    column: int
    help: str = ""
    remediation: Draft | None = field(default=None, compare=False)


@dataclass(frozen=True)
class SafetyReport:
    """The findings on one Draft's up SQL, sorted by position."""

    draft: Draft
    findings: tuple[SafetyFinding, ...]
    squawk: SquawkRun

    def __len__(self) -> int:
        return len(self.findings)

    def __iter__(self):
        return iter(self.findings)

    @property
    def squawk_note(self) -> str:
        """Whether squawk ran (and why not, when it did not)."""
        return "squawk ran" if self.squawk.available else self.squawk.problem

    @property
    def remediations(self) -> tuple[Draft, ...]:
        """The safer Drafts offered by the findings."""
        return tuple(f.remediation for f in self.findings if f.remediation is not None)

    def where(self, *, rule: str | None = None, source: str | None = None,
              level: str | None = None) -> tuple[SafetyFinding, ...]:
        """The findings matching every given filter."""
        return tuple(f for f in self.findings if (rule is None or f.rule == rule)
                     and (source is None or f.source == source) and (level is None or f.level == level))

    def counts(self) -> dict[str, int]:
        """Findings per level, every level present."""
        return {level: len(self.where(level=level)) for level in LEVELS}

    def frame(self):
        """DataFrame: one row per finding (statement, line, column, source, level, rule,
        message, safer draft)."""
        import pandas as pd

        columns = ["statement", "line", "column", "source", "level", "rule", "message", "safer"]
        return pd.DataFrame([_row(f) for f in self.findings], columns=columns)

    def text(self) -> str:
        """Plain text: one line per finding, then the squawk note."""
        lines = [f"safety of {self.draft.title!r}: " +
                 ", ".join(f"{n} {level}" for level, n in self.counts().items())]
        lines += [f"  {f.line}:{f.column} [{f.source} {f.level}] {f.rule}: {f.message}"
                  for f in self.findings]
        lines += [f"  safer draft: {d.title}" for d in self.remediations]
        if not self.squawk.available:
            lines.append(f"note: {self.squawk.problem}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def to_dict(self) -> dict:
        """A JSON-ready form: counts, every finding (with its safer Draft's title) and whether
        squawk ran."""
        return {"draft": self.draft.title, "counts": self.counts(), "squawk": self.squawk_note,
                "findings": [_row(f) for f in self.findings]}

    def __repr__(self) -> str:
        return f"<SafetyReport {self.draft.title!r}: {self.counts()}>"

    def _repr_html_(self) -> str:
        head = html.escape(self.text().splitlines()[0])
        note = "" if self.squawk.available else f"<p><i>{html.escape(self.squawk.problem)}</i></p>"
        table = self.frame().to_html(index=False) if self.findings else "<p>no findings</p>"
        return f"<p><b>{head}</b></p>{table}{note}"


def _row(f: SafetyFinding) -> dict:
    return {"statement": f.statement, "line": f.line, "column": f.column, "source": f.source,
            "level": f.level, "rule": f.rule, "message": f.message,
            "safer": f.remediation.title if f.remediation else ""}


def check(draft: Draft, schema=None, config=None, *, exclude=(), squawk: bool = True) -> SafetyReport:
    """Check ``draft``'s up SQL: squawk (``--pg-version`` from ``schema`` when given; rules in
    ``exclude`` left out; told the SQL runs in one transaction unless a statement is
    ``CONCURRENTLY``) and the workbench's own rules (config: the advisors' settings)."""
    config = team_config(config)
    text = draft.up
    starts = statement_starts(text)
    run = (run_squawk(text, pg_version=pg_version_of(getattr(schema, "server_version_num", None)),
                      exclude=exclude, in_transaction=runs_in_transaction(text))
           if squawk else SquawkRun(False, problem="squawk was not asked to run"))
    found = [squawk_finding(text, starts, item) for item in run.findings]
    found += [own_finding(text, hit) for hit in own_hits(text, schema, config)
              if hit.rule not in exclude]
    found.sort(key=lambda f: (f.line, f.column, f.source, f.rule))
    return SafetyReport(draft, tuple(found), run)


def runs_in_transaction(text: str) -> bool:
    """Whether the migration runs in one transaction (it does unless a statement is
    ``CONCURRENTLY``, which the export runs statement by statement)."""
    return not any(step.was_concurrent for step in transactional_statements(text))


def squawk_finding(text: str, starts: list[int], item: dict) -> SafetyFinding:
    """A squawk JSON finding with 1-based positions and its statement number."""
    line, column = int(item.get("line", 0)), int(item.get("column", 0))
    offset = offset_of(text, line, column)
    row = text.split("\n")[line] if line < text.count("\n") + 1 else ""
    level = SQUAWK_LEVELS.get(str(item.get("level", "")).lower(), "warn")
    return SafetyFinding("squawk", item.get("rule_name", "squawk"), level, item.get("message", ""),
                         statement_number(starts, offset), line + 1, char_column(row, column) + 1,
                         item.get("help") or "")


def own_hits(text: str, schema, config) -> list[Hit]:
    """The workbench's own checks over the statements of ``text``."""
    statements = []
    for number, raw in enumerate(check_sql(text), start=1):
        start = raw.stmt_location or 0
        start += len(text[start:]) - len(text[start:].lstrip())
        statements.append((number, start, raw.stmt))
    ctx = Context(statements, schema, config)
    return [hit for rule in CHECKS for hit in rule(ctx)]


def own_finding(text: str, hit: Hit) -> SafetyFinding:
    place = position(text, hit.offset)
    return SafetyFinding("workbench", hit.rule, hit.level, hit.message, hit.statement,
                         place.line, place.column, hit.help, hit.remediation)
