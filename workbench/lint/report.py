"""``Report``: the findings of one lint run, sorted by level then object, in every shape a
notebook, a terminal or CI wants (DataFrame, HTML, text, JSON-ready dict)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterator

from .finding import LEVELS, Finding


def order(finding: Finding) -> tuple:
    """Sort key: level (error first), then the object, then the rule."""
    return (LEVELS.index(finding.level), finding.schema or "", finding.table or "",
            finding.column or "", finding.name or "", finding.rule, finding.message)


@dataclass(frozen=True)
class Report:
    """What a lint run found. ``rules`` ran; ``skipped`` needed a connection; ``ignored``
    counts findings dropped by the config's ``ignore`` keys."""

    findings: tuple[Finding, ...]
    rules: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    ignored: int = 0
    database: str = ""
    config_source: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "findings", tuple(sorted(self.findings, key=order)))

    def __len__(self) -> int:
        return len(self.findings)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __getitem__(self, index: int) -> Finding:
        return self.findings[index]

    def counts(self) -> dict[str, int]:
        """Findings per level, every level present (zero when none)."""
        found = Counter(f.level for f in self.findings)
        return {level: found[level] for level in LEVELS}

    def counts_by_category(self) -> dict[str, int]:
        """Findings per category (a finding may count in several)."""
        found = Counter(c for f in self.findings for c in f.categories)
        return dict(sorted(found.items()))

    def counts_by_rule(self) -> dict[str, int]:
        """Findings per rule id, sorted by id."""
        return dict(sorted(Counter(f.rule for f in self.findings).items()))

    def where(self, *, level: str | None = None, rule: str | None = None,
              category: str | None = None, table: str | None = None) -> Report:
        """A report of the findings matching every given filter (``table``: name or
        ``schema.table``)."""
        kept = [f for f in self.findings
                if (level is None or f.level == level) and (rule is None or f.rule == rule)
                and (category is None or category in f.categories)
                and (table is None or table in (f.table, f"{f.schema}.{f.table}"))]
        return Report(tuple(kept), self.rules, self.skipped, 0, self.database, self.config_source)

    def at_or_above(self, level: str) -> tuple[Finding, ...]:
        """The findings at ``level`` or worse (``"warn"``: errors and warnings)."""
        limit = LEVELS.index(level)
        return tuple(f for f in self.findings if LEVELS.index(f.level) <= limit)

    def frame(self):
        """DataFrame: one row per finding (level, rule, categories, object, message, fix, key)."""
        import pandas as pd

        columns = ["level", "rule", "categories", "object", "message", "fix", "key"]
        return pd.DataFrame([_row(f) for f in self.findings], columns=columns)

    def to_dict(self) -> dict:
        """A JSON-ready form: summary counts and every finding with its drafted fix."""
        return {"database": self.database, "counts": self.counts(), "rules": list(self.rules),
                "skipped": list(self.skipped), "ignored": self.ignored,
                "findings": [finding_dict(f) for f in self.findings]}

    def text(self) -> str:
        """Plain text: one line per finding, then the counts."""
        from .render import report_text

        return report_text(self)

    def _repr_html_(self) -> str:
        from .render import report_html

        return report_html(self)

    def __repr__(self) -> str:
        counts = ", ".join(f"{n} {level}" for level, n in self.counts().items())
        return f"<Report {self.database or 'schema'}: {counts}>"


def _row(f: Finding) -> dict:
    return {"level": f.level, "rule": f.rule, "categories": ", ".join(f.categories),
            "object": f.object, "message": f.message,
            "fix": f.remediation.title if f.remediation else "", "key": f.key}


def finding_dict(f: Finding) -> dict:
    """One finding as plain data, its remediation Draft included."""
    fix = f.remediation
    return {"rule": f.rule, "level": f.level, "categories": list(f.categories),
            "schema": f.schema, "table": f.table, "column": f.column, "name": f.name,
            "kind": f.kind, "object": f.object, "message": f.message, "detail": f.detail,
            "key": f.key,
            "remediation": None if fix is None else {
                "title": fix.title, "rationale": fix.rationale, "up": fix.up, "down": fix.down,
                "notes": list(fix.notes), "irreversible": fix.irreversible}}
