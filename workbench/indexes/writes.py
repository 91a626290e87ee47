"""What a new index costs the workload's writes, in the planner's cost units.

The planner costs finding the rows an ``UPDATE`` or ``DELETE`` touches, not writing the index
entries they cause, so an index on a column that a frequent ``UPDATE`` sets looks free. It is
not: every row such an update writes gets a new entry in the index, and because an indexed
column changed the update can no longer be HOT (heap-only), so it writes a new entry into
every other index of the table as well. Every ``INSERT`` writes one entry per index.
``DELETE`` writes no index entries (vacuum removes them later), so only its reading is costed.

:data:`ENTRY_COST` is what one index entry costs, as ``benchmarks/index_writes.py`` measures
it: an ``UPDATE`` takes about 3.6-3.9 µs more per row for each tenant-led btree index it must
also write, and a sequential scan runs at 270-360 cost units per millisecond on the same
machine, so an entry is worth about 1.0-1.3 cost units.
"""
from __future__ import annotations

from dataclasses import dataclass

from .evaluate import Evaluation
from .existing import indexed_columns
from .model import Candidate

ENTRY_COST = 1.2


@dataclass(frozen=True)
class Write:
    """One write statement of the workload: its table, kind, the columns it sets (UPDATE) and
    the rows the planner expects it to write."""

    number: int
    table_key: tuple[str, str]
    kind: str
    updated: frozenset[str]
    rows: float


def writes_of(evaluation: Evaluation) -> list[Write]:
    """The workload's INSERT and UPDATE statements that can be planned."""
    found = []
    for number, shape in enumerate(evaluation.shapes):
        plan = evaluation.baseline[number]
        if shape is None or plan is None or shape.kind not in ("insert", "update") or not shape.accesses:
            continue
        target = shape.accesses[0]
        found.append(Write(number, target.key, shape.kind, frozenset(target.updated), rows_written(plan)))
    return found


def rows_written(plan) -> float:
    """The rows the planner expects a write statement to write (its ModifyTable's input)."""
    root = plan.root
    if root.node_type == "ModifyTable" and root.children:
        return root.children[0].plan_rows
    return root.plan_rows


def entries(write: Write, candidate: Candidate, schema, share: float = 1.0) -> float:
    """Index entries per written row that adding ``candidate`` alone makes ``write`` write;
    ``share`` is the part of the table's rows a partial index holds (see :class:`Upkeep`)."""
    return Upkeep((charge_of(write, 1.0, schema),), {candidate: share}).cost([candidate])


def hot(write: Write, schema) -> bool:
    """Whether the UPDATE can be HOT with the existing indexes (none of them has a column it sets)."""
    indexes = schema.table(write.table_key).indexes
    return not any(write.updated & indexed_columns(index.definition) for index in indexes)


@dataclass(frozen=True)
class Charge:
    """One write of the workload as the upkeep sees it: ``factor`` is what one index entry per
    row it writes costs in the chooser's units, ``existing`` the table's index count, ``hot``
    whether it is a HOT update with the existing indexes."""

    write: Write
    factor: float
    existing: int
    hot: bool


@dataclass(frozen=True)
class Upkeep:
    """What a set of new indexes costs the workload's writes together. The loss of HOT is paid
    once per UPDATE: when one new index has a column it sets, every index of the table gets an
    entry for each row, the other new ones included; a second such index adds only its own."""

    charges: tuple[Charge, ...]
    shares: dict

    def cost(self, indexes) -> float:
        total = 0.0
        for charge in self.charges:
            mine = [c for c in indexes if c.table_key == charge.write.table_key]
            if not mine:
                continue
            own = sum(self.shares.get(c, 1.0) for c in mine)
            if charge.write.kind == "insert" or not charge.hot:
                total += charge.factor * own
            elif any(charge.write.updated & set(c.columns) for c in mine):
                total += charge.factor * (own + charge.existing)
        return total

    def alone(self, candidates) -> dict:
        """{candidate: what it alone costs the writes}, for those that cost anything."""
        found = {candidate: self.cost([candidate]) for candidate in candidates}
        return {candidate: cost for candidate, cost in found.items() if cost}


def charge_of(write: Write, factor: float, schema) -> Charge:
    """``write`` as the upkeep sees it, with the existing indexes of its table."""
    return Charge(write, factor, len(schema.table(write.table_key).indexes),
                  write.kind == "update" and hot(write, schema))


def upkeep_of(evaluation: Evaluation, weight: dict[int, float], schema,
              shares: dict[Candidate, float] | None = None) -> Upkeep:
    """The workload's writes as :class:`Upkeep` (see :func:`write_costs` for the factor)."""
    charges = []
    for write in writes_of(evaluation):
        base = evaluation.base_cost(write.number)
        if write.number in weight and base:
            charges.append(charge_of(write, weight[write.number] / base * write.rows * ENTRY_COST, schema))
    return Upkeep(tuple(charges), dict(shares or {}))


def write_costs(evaluation: Evaluation, weight: dict[int, float], schema,
                shares: dict[Candidate, float] | None = None) -> dict[Candidate, float]:
    """The write cost each candidate adds, in the chooser's units: per write statement, its
    weight per unit of its estimated cost (its calls, or its total time per cost unit) times the
    cost of the index entries it would write. Candidates on tables nobody writes cost nothing;
    ``shares`` holds the part of the rows each partial candidate holds (else all)."""
    return upkeep_of(evaluation, weight, schema, shares).alone(evaluation.candidates)
