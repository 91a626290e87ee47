"""The result of index advice: recommendations (each with its Draft) and per-query results."""
from __future__ import annotations

from dataclasses import dataclass, field

import pglast.parser

from ..drafts import Draft
from ..drafts.sqltext import check_sql
from ..errors import WorkbenchError
from ..plans import Plan
from ..plans.words import ms, ratio, size
from .advisor import Run
from .drafts import create_index, index_draft, taken_names, unique_name
from .existing import superseded
from .hints import rewrite_hints
from .measure import Comparison
from .model import Candidate
from .policies import filtering, conditions_of
from .policy_cost import policy_notes
from .sources import Query
from .unused import drop_draft


@dataclass
class Recommendation:
    """One recommended index: its name, size, the queries it serves, notes, and the Draft."""

    candidate: Candidate
    name: str
    size_bytes: int | None
    size_source: str
    queries: list[int]
    notes: list[str]
    draft: Draft

    @property
    def create_sql(self) -> str:
        """The Draft's ``CREATE INDEX CONCURRENTLY`` statement, without its semicolon."""
        return create_index(self.candidate, self.name).up_sql().removesuffix(";")


@dataclass
class QueryResult:
    """One query: estimated cost before/after, the recommended indexes its plan uses, measurements."""

    number: int
    query: Query
    cost_before: float | None = None
    cost_after: float | None = None
    indexes: list[str] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    plan_before: Plan | None = None
    plan_after: Plan | None = None
    hints: list[str] = field(default_factory=list)
    error: str | None = None
    policy_notes: list[str] = field(default_factory=list)
    write_note: str | None = None

    @property
    def label(self) -> str:
        return self.query.title

    @property
    def main(self) -> Comparison | None:
        """The measurement of the query as written (or with sample values)."""
        return self.comparisons[0] if self.comparisons else None

    @property
    def ms_before(self) -> float | None:
        return self.main.before.ms if self.main else None

    @property
    def ms_after(self) -> float | None:
        return self.main.after.ms if self.main and self.main.after else None

    @property
    def speedup(self) -> float | None:
        """Measured time before / after for the query as written (None when not measured)."""
        return self.main.ratio if self.main else None


@dataclass
class Advice:
    """What :func:`workbench.indexes.advise` found; see :mod:`.report` for its displays."""

    queries: list[QueryResult]
    recommended: list[Recommendation]
    left_out: list[tuple[Candidate, str]]
    candidates: list[Candidate]
    covered: list[tuple[Candidate, str]]
    method: str
    measured: bool
    run: Run = field(repr=False)
    drop_draft: Draft | None = None

    @property
    def drafts(self) -> list[Draft]:
        """The Drafts adding the recommended indexes (the drop of unused ones is apart:
        :attr:`drop_draft`)."""
        return [r.draft for r in self.recommended]

    @property
    def budget(self):
        """The size budget (:class:`~.budget.Budget`: total, kept existing), None without one."""
        return self.run.budget

    @property
    def unused(self):
        """The existing indexes no plan of the workload uses (:class:`~.unused.Unused`)."""
        return self.run.unused

    def curve(self, max_rows: int = 20):
        """The benefit–size curve: one row per budget on the frontier (at most ``max_rows``),
        with the workload's speed-up and what the queries lose at that budget (see :mod:`.curve`)."""
        from .curve import benefit_curve

        return benefit_curve(self, max_rows)

    def plot_curve(self, ax=None):
        """The benefit–size curve drawn with matplotlib; returns the Figure."""
        from .curve import plot_curve

        return plot_curve(self.curve(), ax=ax)

    def query(self, sql: str) -> QueryResult:
        """The result of the workload query that is ``sql``: the same statement whatever its
        spacing, comments, letter case or constants (pglast fingerprints, as
        ``pg_stat_statements`` groups queries)."""
        check_sql(sql, "query")
        wanted = fingerprint_of(sql)
        for result in self.queries:
            if fingerprint_of(result.query.sql) == wanted:
                return result
        raise WorkbenchError("that query is not in the workload",
                             where=" ".join(sql.split())[:80],
                             hint="pass the SQL of one of the advised queries (see .frame())")

    def frame(self):
        """One row per query: estimated cost and measured time before/after, indexes used."""
        from .report import queries_frame

        return queries_frame(self)

    def whatif_frame(self):
        """One row per (query, candidate) tried: estimated cost alone with that candidate."""
        from .report import whatif_frame

        return whatif_frame(self)

    def recommended_frame(self):
        from .report import recommended_frame

        return recommended_frame(self)

    def to_dict(self) -> dict:
        from .report import advice_dict

        return advice_dict(self)

    def summary_text(self) -> str:
        from .report import advice_text

        return advice_text(self)

    def __str__(self) -> str:
        return self.summary_text()

    def _repr_html_(self) -> str:
        from .report import advice_html

        return advice_html(self)


def build_advice(run: Run) -> Advice:
    """Name the chosen indexes, write their Drafts, and gather the per-query results."""
    confirmation = run.confirmation
    taken: dict[str, set[str]] = {}
    names = {}
    for candidate in confirmation.chosen:
        pool = taken.setdefault(candidate.schema, taken_names(run.schema, candidate.schema))
        names[candidate] = unique_name(candidate, pool)
    results = [query_result(run, number, names) for number in range(len(run.queries))]
    recommended = [recommendation(run, c, names[c], results) for c in confirmation.chosen]
    left_out = [(c, r) for c, r in {**run.selection.left_out, **confirmation.removed}.items()]
    return Advice(results, recommended, left_out, run.evaluation.candidates, run.covered,
                  run.method, run.measured, run, drop_draft(run.unused))


def query_result(run: Run, number: int, names: dict) -> QueryResult:
    evaluation, confirmation = run.evaluation, run.confirmation
    result = QueryResult(number, run.queries[number], error=evaluation.errors.get(number))
    if result.error:
        return result
    result.plan_before = evaluation.baseline[number]
    result.plan_after = confirmation.plans.get(number, result.plan_before)
    result.cost_before = result.plan_before.total_cost
    result.cost_after = min(result.plan_after.total_cost, result.cost_before)
    used = [confirmation.names[n] for n in result.plan_after.indexes_used() if n in confirmation.names]
    measured = [c for comparison in confirmation.comparisons if comparison.number == number
                for c in measured_uses(comparison, confirmation.names)]
    result.indexes = [names[c] for c in dict.fromkeys(used + measured) if c in names]
    result.comparisons = [c for c in confirmation.comparisons if c.number == number]
    result.hints = rewrite_hints(run.queries[number].sql)
    result.write_note = confirmation.write_notes.get(number)
    if run.role:
        shown = {n: names[c] for n, c in confirmation.names.items() if c in names}
        result.policy_notes = policy_notes(run.schema, run.role, run.shapes[number].kind,
                                           result.comparisons, shown)
    return result


def measured_uses(comparison: Comparison, names: dict) -> list[Candidate]:
    plan = comparison.after.plan if comparison.after else None
    return [names[n] for n in (plan.indexes_used() if plan else ()) if n in names]


def recommendation(run: Run, candidate: Candidate, name: str, results: list[QueryResult]) -> Recommendation:
    served = [r for r in results if name in r.indexes]
    confirmation = run.confirmation
    source = confirmation.size_method.get(candidate, "hypopg")
    lines = [f"Recommended for {len(served)} quer{'y' if len(served) == 1 else 'ies'} of the workload."]
    lines += [served_line(r) for r in served]
    size_text = size(confirmation.sizes.get(candidate))
    lines.append(f"Size: {size_text} ({'of the index built for real' if source == 'real' else 'HypoPG estimate, often too large'}).")
    if run.measured:
        lines.append("Times: EXPLAIN ANALYZE, median of warm runs (a write: its fastest run), the index built "
                     "in a rolled-back transaction.")
    notes = candidate_notes(run, candidate, served)
    draft = index_draft(candidate, name, "\n".join(lines), notes,
                        extension_installed=run.installed.get(candidate.extension or "", True))
    return Recommendation(candidate, name, confirmation.sizes.get(candidate), source,
                          [r.number for r in served], notes, draft)


def served_line(result: QueryResult) -> str:
    text = (f"- query {result.number + 1} ({result.label}): estimated cost "
            f"{result.cost_before:,.0f} -> {result.cost_after:,.0f} ({ratio(result.cost_before, result.cost_after)})")
    for comparison in result.comparisons:
        after = comparison.after.ms if comparison.after else None
        if comparison.before.ms is not None and after is not None:
            text += (f"; {comparison.sample.label}: {ms(comparison.before.ms)} -> {ms(after)} "
                     f"({ratio(comparison.before.ms, after)})")
    return text


def candidate_notes(run: Run, candidate: Candidate, served: list[QueryResult]) -> list[str]:
    """Caveats: HypoPG without expression statistics, partial-index scope, redundancy, write cost."""
    notes = []
    if candidate.expression and run.method == "hypopg":
        measured = any(c.after and c.after.ms is not None for r in served for c in r.comparisons)
        if measured:
            notes.append("HypoPG has no statistics for expression keys; the benefit was confirmed by "
                         "measuring with a real index")
        else:
            notes.append("HypoPG has no statistics for expression keys, so the estimate rests on a default "
                         "selectivity: measure it with a real index (advise(..., method='real', measure=True), "
                         "giving sample values for $n parameters as Query(sql, params=[...]))")
    if candidate.predicate:
        notes.append(f"partial index: only queries whose WHERE implies {candidate.predicate} can use it")
    table = run.schema.table(candidate.table_key)
    notes += policy_key_notes(run, candidate, table)
    for index in superseded(candidate, table.indexes):
        notes.append(f"makes the existing index {index.name} redundant (it is a prefix of this one): "
                     "consider dropping it once this one is in place")
    notes += write_cost_notes(run, candidate, table)
    return notes


def policy_key_notes(run: Run, candidate: Candidate, table) -> list[str]:
    """When planned as a role: the index leads with a column the policies filter on."""
    if not run.role or not table.rls_enabled:
        return []
    leading = candidate.keys[0].plain_column
    for policy in filtering(table, run.role, "select"):
        if leading in {c.key.column for c in conditions_of(policy, table, ())}:
            return [f"leads with {leading}, which the policy {policy.name} filters on for {run.role} "
                    f"(USING {' '.join(policy.using.split())})"]
    return []


def write_cost_notes(run: Run, candidate: Candidate, table) -> list[str]:
    """What the index costs writers: index count, UPDATEs of indexed columns, write-heavy tables."""
    rows = f" of a row WHERE {candidate.predicate}" if candidate.predicate else ""
    notes = [f"write cost: {table.schema}.{table.name} has {len(table.indexes)} index(es); every INSERT{rows} "
             f"and every UPDATE of {', '.join(candidate.columns)} also writes this one "
             "(and such UPDATEs can no longer be HOT)"]
    writers = [n + 1 for n, shape in enumerate(run.shapes) if shape is not None and shape.kind != "select"
               and candidate.table_key in shape.tables]
    if writers:
        notes.append(f"queries {', '.join(map(str, writers))} of the workload write to {table.name}")
    activity = run.activity.get(candidate.table_key)
    if activity is not None and activity.writes > max(activity.reads, 1000):
        notes.append(f"{table.name} is write-heavy: {activity.writes:,} row writes against "
                     f"{activity.reads:,} rows read since the statistics were reset; weigh the read "
                     "gain against slower writes")
    return notes


def fingerprint_of(sql: str) -> str:
    """pglast's fingerprint of one statement: equal for the same query however it is written."""
    return pglast.parser.fingerprint(sql)
