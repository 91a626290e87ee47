"""squawk's static verdicts next to the trace's measurements, statement by statement.

squawk reads the SQL alone; the trace watched PostgreSQL run it. Where squawk says a
statement rewrites or scans a table and the trace saw no such thing (a ``varchar(20)`` →
``varchar(40)`` change only touches the catalog), or where the trace saw a rewrite or a
validating scan under a lock that stops reads or writes and squawk said nothing (a
``serial`` column added, ``CLUSTER``), the statement gets a :class:`Disagreement` saying
which and why.
"""
from __future__ import annotations

from ..drafts.positions import offset_of, statement_number, statement_starts
from ..drafts.squawk import SquawkRun, pg_version_of, run_squawk
from ..plans.words import ms
from .lockmodes import blocks_reads, blocks_writes, spoken, strongest
from .model import Disagreement, StatementTrace

# squawk rules that say a statement rewrites the table, and why it may not.
REWRITE_RULES = {
    "changing-column-type": "the new type is binary-compatible with the old one (a longer varchar, "
                            "varchar to text, a dropped length limit), so PostgreSQL changed the "
                            "catalog and kept every row as it was",
    "adding-field-with-default": "the default is not volatile, so PostgreSQL (11 and later) keeps it "
                                 "in the catalog and fills it in on read, without touching the rows",
}
# squawk rules that say a statement reads the whole table to validate.
SCAN_RULES = {
    "adding-not-nullable-field", "setting-not-nullable-field", "constraint-missing-not-valid",
    "adding-foreign-key-constraint", "disallowed-unique-constraint", "adding-serial-primary-key-field",
}
NO_SCAN_WHY = ("PostgreSQL proved the constraint without reading the table (a valid CHECK "
               "(column IS NOT NULL) already in place before SET NOT NULL, or a NOT VALID constraint)")
SILENT_REWRITE_WHY = {
    "ClusterStmt": "CLUSTER writes the table anew in index order; squawk has no rule for it",
    "TruncateStmt": "",
}
SILENT_REWRITE_DEFAULT = ("squawk's rules do not see this form as a rewrite: a volatile default "
                          "it does not recognise (a serial or identity column, nextval(), "
                          "clock_timestamp()), a stored generated column, SET LOGGED/UNLOGGED, a "
                          "new access method or tablespace all write every row anew")
SILENT_SCAN_WHY = ("squawk's rules do not see this form as validating; PostgreSQL read the table "
                   "to check existing rows while the lock was held")


def squawk_rules(text: str, server_version: int) -> tuple[SquawkRun, dict[int, tuple[str, ...]]]:
    """squawk's run on ``text`` and its rule names per statement number."""
    run = run_squawk(text, pg_version=pg_version_of(server_version), in_transaction=True)
    starts = statement_starts(text)
    found: dict[int, list[str]] = {}
    for item in run.findings:
        offset = offset_of(text, int(item.get("line", 0)), int(item.get("column", 0)))
        number = statement_number(starts, offset)
        if number is not None:
            found.setdefault(number, []).append(item.get("rule_name", "squawk"))
    return run, {number: tuple(dict.fromkeys(rules)) for number, rules in found.items()}


def disagreements(s: StatementTrace, rules: tuple[str, ...]) -> tuple[Disagreement, ...]:
    """Where squawk's ``rules`` on statement ``s`` and its trace tell different stories."""
    if not s.traced:
        return ()
    found = [d for rule in rules for d in (rewrite_claim(s, rule), scan_claim(s, rule)) if d]
    if not any(rule in REWRITE_RULES for rule in rules):
        found += silent_rewrite(s)
    if not any(rule in SCAN_RULES for rule in rules):
        found += silent_scan(s)
    return tuple(found)


def rewrite_claim(s: StatementTrace, rule: str) -> Disagreement | None:
    if rule not in REWRITE_RULES or s.rewrites:
        return None
    return Disagreement(s.number, rule, f"warns {rule} (a table rewrite)",
                        "saw no relation rewritten (every file node unchanged)", REWRITE_RULES[rule])


def scan_claim(s: StatementTrace, rule: str) -> Disagreement | None:
    if rule not in SCAN_RULES or s.scanned or s.rewrites or not s.scans_measured:
        return None
    return Disagreement(s.number, rule, f"warns {rule} (a full table scan)", "saw no table read",
                        NO_SCAN_WHY)


def silent_rewrite(s: StatementTrace) -> list[Disagreement]:
    why = SILENT_REWRITE_WHY.get(s.kind, SILENT_REWRITE_DEFAULT)
    tables = [t for t in s.rewrites if blocks_reads_or_writes(s, t) and kind(s, t) == "table"]
    if not why or not tables:
        return []
    return [Disagreement(s.number, None, "is silent",
                         f"saw {', '.join(tables)} rewritten{under(s, tables)}", why)]


def silent_scan(s: StatementTrace) -> list[Disagreement]:
    tables = [t for t in s.validated if blocks_reads_or_writes(s, t)]
    if not tables:
        return []
    saw = f"saw {', '.join(tables)} read in full to validate{under(s, tables)}"
    return [Disagreement(s.number, None, "is silent", saw, SILENT_SCAN_WHY)]


def blocks_reads_or_writes(s: StatementTrace, relation: str) -> bool:
    """Whether reads or writes of ``relation`` wait while the statement runs (its own locks
    or those earlier statements of its transaction still hold)."""
    held = s.modes_held_on(relation)
    return blocks_reads(held) or blocks_writes(held)


def kind(s: StatementTrace, relation: str) -> str:
    return next((lock.kind for lock in s.locks if lock.relation == relation), "table")


def under(s: StatementTrace, tables: list[str]) -> str:
    modes = strongest(m for t in tables for m in s.modes_held_on(t))
    return f" under {' and '.join(spoken(m) for m in modes)} for {ms(s.duration_ms)}" if modes else ""
