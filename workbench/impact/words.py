"""A traced statement in plain words: which locks it holds, for how long, and which common
statements wait meanwhile; what it rewrote and read; what the documentation says of the
statements that were not traced."""
from __future__ import annotations

from ..plans.words import count, ms, size
from .lockmodes import (READS, WRITES, blocked_statements, blocks_reads, blocks_writes, spoken,
                        strongest)
from .model import Lock, StatementTrace

ROW_LOCKING = ("UpdateStmt", "DeleteStmt", "MergeStmt")
SCHEMA_CHANGES = ("ALTER TABLE", "DROP TABLE", "TRUNCATE", "VACUUM FULL")


def statement_words(s: StatementTrace) -> list[str]:
    """One sentence per fact, in the order a reviewer asks: time, locks, storage, reads."""
    if not s.traced:
        return untraced_words(s)
    lines = [duration_sentence(s)]
    lines += [lock_sentence(s, relation, modes) for relation, modes in visible_locks(s)]
    if not any(not lock.new for lock in s.locks):
        lines.append("takes no lock beyond those already held" if s.earlier_locks
                     else "takes no lock on an existing relation")
    lines += earlier_sentences(s)
    lines += storage_sentences(s)
    lines += [*s.notes, *(f"squawk and the trace disagree: {d.text()}" for d in s.disagreements)]
    if s.kind in ROW_LOCKING:
        lines.append("the rows it changes stay locked against other writers until the transaction ends")
    return lines


def duration_sentence(s: StatementTrace) -> str:
    waited = (f" (after waiting {ms(s.lock_wait_ms)} for locks other sessions held, not counted)"
              if s.lock_wait_ms else "")
    if s.scaling is None:
        return f"ran in {ms(s.duration_ms)}{waited}"
    sc = s.scaling
    return (f"ran in {ms(s.measured_ms)} at {count(sc.rows_here)} rows of {sc.table}{waited}; "
            f"≈ {ms(s.duration_ms)} at {count(sc.rows_there)} rows (an estimate, scaled by the row ratio)")


def visible_locks(s: StatementTrace) -> list[tuple[str, tuple[str, ...]]]:
    """The locks worth a sentence: on existing relations, the strongest modes per relation,
    index and sequence locks only when they stop more than their table's lock does."""
    by_relation: dict[str, list[Lock]] = {}
    for lock in s.locks:
        if not lock.new:
            by_relation.setdefault(lock.relation, []).append(lock)
    table_blocks = {name: set(blocked_statements(l.mode for l in locks))
                    for name, locks in by_relation.items() if locks[0].kind == "table"}
    result = []
    for name, locks in by_relation.items():
        modes = strongest(l.mode for l in locks)
        owner = locks[0].table
        if owner in table_blocks and set(blocked_statements(modes)) <= table_blocks[owner]:
            continue
        result.append((name, modes))
    return sorted(result, key=lambda item: (by_relation[item[0]][0].kind != "table", item[0]))


def lock_sentence(s: StatementTrace, relation: str, modes: tuple[str, ...]) -> str:
    lock = next(l for l in s.locks if l.relation == relation)
    what = " and ".join(spoken(m) for m in modes)
    label = f"{lock.kind} {relation}" if lock.kind != "table" else relation
    held = held_phrase(s)
    alone = any(l.alone for l in s.locks if l.relation == relation and l.mode in modes)
    seen = (" (seen when it ran alone: an earlier transaction of the migration held it in the "
            "trace)") if alone else ""
    return f"{'takes' if lock.documented else 'holds'} {what} on {label}{sized(s, relation)}{held}: " \
           f"{effect(modes, lock)}{seen}"


def earlier_sentences(s: StatementTrace) -> list[str]:
    """The locks of earlier statements that still make reads or writes wait while it runs
    (an index's lock left out when its table's lock already stops the same)."""
    first: dict[tuple[str, str], int] = {}
    modes: dict[str, list[str]] = {}
    owners: dict[str, str | None] = {}
    for relation, mode, number, table in s.earlier_locks:
        first.setdefault((relation, mode), number)
        modes.setdefault(relation, []).append(mode)
        owners[relation] = table
    held = [" and ".join(f"{spoken(m)} on {relation} (since statement {first[relation, m]})"
                         for m in strongest(found))
            for relation, found in modes.items()
            if (blocks_reads(found) or blocks_writes(found))
            and not covered(found, modes.get(owners[relation] or ""))]
    return [f"runs while earlier statements still hold {', '.join(held)}"] if held else []


def covered(modes, table_modes) -> bool:
    """Whether a table's locks already stop every statement an index's locks stop."""
    return bool(table_modes) and set(blocked_statements(modes)) <= set(blocked_statements(table_modes))


def sized(s: StatementTrace, relation: str) -> str:
    if relation not in s.sizes:
        return ""
    rows, num_bytes = s.sizes[relation]
    return f" ({short_count(rows)} rows, {size(num_bytes)})" if rows >= 0 else f" ({size(num_bytes)})"


def short_count(rows: float) -> str:
    """``1.2M``, ``260k``, ``1,516``: a row estimate as people say it."""
    if rows >= 1_000_000:
        return f"{rows / 1_000_000:.1f}M"
    if rows >= 10_000:
        return f"{rows / 1000:.0f}k"
    return count(rows)


def held_phrase(s: StatementTrace) -> str:
    if s.held_ms is None:
        return ""
    estimate = " (estimate)" if s.estimated else ""
    if s.held_until is not None and s.held_until > s.number:
        return (f" for {ms(s.held_ms)}{estimate}, from this statement until the transaction ends "
                f"after statement {s.held_until}")
    return f" for {ms(s.held_ms)}{estimate}, until the transaction ends"


def effect(modes: tuple[str, ...], lock: Lock) -> str:
    """Which common statements wait, said the short way when reads or writes do."""
    waiting = blocked_statements(modes)
    on = (lock.table or lock.relation).split(".")[-1]
    reads = any(name in READS for name in waiting)
    writes = any(name in WRITES for name in waiting)
    others = [name for name in waiting if name not in READS + WRITES and
              (lock.kind == "view" or "MATERIALIZED" not in name)]
    if all(name in others for name in SCHEMA_CHANGES):
        others = [name for name in others if name not in SCHEMA_CHANGES] + ["schema changes"]
    if reads:
        return f"every SELECT, INSERT, UPDATE and DELETE on {on} waits"
    if writes:
        locking_reads = "SELECT FOR UPDATE, " if "SELECT FOR UPDATE" in waiting else ""
        plain = "plain reads" if locking_reads else "reads"
        return f"{plain} go on, {locking_reads}writes (INSERT, UPDATE, DELETE) on {on} wait"
    if others:
        return f"reads and writes on {on} go on; {', '.join(others[:-1])} and {others[-1]} wait" \
            if len(others) > 1 else f"reads and writes on {on} go on; {others[0]} waits"
    return "nothing else waits"


def storage_sentences(s: StatementTrace) -> list[str]:
    lines = []
    if s.rewrites:
        verb = "empties (new, empty storage for)" if s.kind == "TruncateStmt" else "rewrites"
        lines.append(f"{verb} {rewritten_phrase(s)}")
    if s.validated:
        lines.append(f"reads {', '.join(scan_phrase(s, t) for t in s.validated)} to validate")
    others = [t for t in s.scanned if t not in s.validated and t not in s.rewrites]
    if others:
        purpose = " to build the index" if s.kind == "IndexStmt" else ""
        lines.append(f"reads {', '.join(scan_phrase(s, t) for t in others)}{purpose}")
    if not s.scans_measured:
        lines.append("scans not measured: track_counts is off on this server")
    if s.created:
        lines.append(f"creates {', '.join(s.created)}")
    if s.dropped:
        lines.append(f"drops {', '.join(s.dropped)}")
    if not (s.rewrites or s.scanned) and s.scans_measured:
        lines.append("no rewrite, no table read")
    return lines


def rewritten_phrase(s: StatementTrace) -> str:
    """``nursery.orders and its indexes orders_pkey, orders_status_idx``."""
    tables = s.owners
    owners = [name for name in s.rewrites if not tables.get(name)]
    parts = []
    for owner in owners:
        indexes = [name.split(".")[-1] for name in s.rewrites if tables.get(name) == owner]
        parts.append(f"{owner} and its index{'es' * (len(indexes) > 1)} {', '.join(indexes)}"
                     if indexes else owner)
    parts += [name for name in s.rewrites if tables.get(name) and tables[name] not in owners]
    return "; ".join(parts)


def scan_phrase(s: StatementTrace, table: str) -> str:
    seq, idx = s.scanned.get(table, (0, 0))
    parts = ([f"{seq} sequential scan{'s' * (seq != 1)}"] if seq else []) + \
            ([f"{idx} index scan{'s' * (idx != 1)}"] if idx else [])
    return f"{table} ({', '.join(parts)})" if parts else table


def untraced_words(s: StatementTrace) -> list[str]:
    lines = [f"not traced: {s.reason}"]
    for lock in s.locks:
        lines.append(f"documented: takes {spoken(lock.mode)} on {lock.relation} for as long as it "
                     f"runs (not measured): {effect((lock.mode,), lock)}")
    if s.source:
        lines.append(f"source: {s.source}")
    if s.stand_in:
        lines.append(f"the trace ran `{s.stand_in}` in its place ({ms(s.stand_in_ms)}), so later "
                     "statements see its result; that is neither this statement's time nor its locks")
    return lines + list(s.notes)
