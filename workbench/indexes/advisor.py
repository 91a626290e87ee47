"""Index advice for one query or a whole workload: candidates → what-if → choice → proof → Drafts.

1. Each query is parsed (pglast) and resolved against a schema snapshot; candidates are
   generated per table access (:mod:`.candidates`), existing indexes taken into account.
2. Every candidate is costed alone against every query on its table (:mod:`.evaluate`),
   with HypoPG or with real indexes in a rolled-back transaction (:mod:`.whatif`).
3. A small set is chosen greedily by benefit per byte (:mod:`.choose`); for joins, the other
   candidates are costed again with the chosen indexes present, and the choice is redone.
4. The set is built for real (rolled back) and each query is planned and, with ``measure``,
   run before and after, for the smallest and largest tenant too (:mod:`.samples`); an index
   that makes any case slower, or that no plan uses, leaves the set, which is tried again.
5. Each survivor becomes a Draft with the measured before/after in its rationale.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from dataclasses import dataclass, field

from ..catalog import inspect
from ..errors import WorkbenchError
from ..plans import Plan
from ..session import connection_of
from .candidates import Options, generate
from .choose import Limits, Selection, choose
from .evaluate import Evaluation, evaluate, evaluate_in_context
from .measure import Comparison, culprit, measure_after, measure_before, uses
from .model import Candidate
from .query import QueryShape, analyse
from .samples import samples
from .sources import Query, queries_from_sql
from .stats import column_stats, table_activity
from .whatif import WhatIf


@dataclass
class Confirmation:
    """The final set, its estimated plans per query, real sizes and measured comparisons."""

    chosen: list[Candidate]
    plans: dict[int, Plan] = field(default_factory=dict)
    names: dict[str, Candidate] = field(default_factory=dict)
    sizes: dict[Candidate, int] = field(default_factory=dict)
    size_method: dict[Candidate, str] = field(default_factory=dict)
    comparisons: list[Comparison] = field(default_factory=list)
    removed: dict[Candidate, str] = field(default_factory=dict)


@dataclass
class Run:
    """Everything one advice run found, before it is turned into a report."""

    queries: list[Query]
    shapes: list[QueryShape | None]
    evaluation: Evaluation
    selection: Selection
    confirmation: Confirmation
    covered: list[tuple[Candidate, str]]
    method: str
    measured: bool
    schema: object
    installed: dict[str, bool]
    activity: dict = field(default_factory=dict)


def as_queries(queries) -> list[Query]:
    """A workload from SQL text (one or many statements), a list of SQL strings, or Query objects."""
    if isinstance(queries, str):
        return queries_from_sql(queries)
    found = []
    for item in queries:
        found += [item] if isinstance(item, Query) else queries_from_sql(item)
    if not found:
        raise WorkbenchError("the workload is empty", hint="give at least one SELECT, UPDATE or DELETE")
    return found


def analyse_all(queries: list[Query], schema) -> tuple[list[QueryShape | None], dict[int, str]]:
    shapes, errors = [], {}
    for number, query in enumerate(queries):
        try:
            shapes.append(analyse(query.sql, schema))
        except WorkbenchError as exc:
            shapes.append(None)
            errors[number] = exc.what
    return shapes, errors


def generate_all(shapes, schema, stats, options: Options) -> tuple[dict[Candidate, set[int]], list]:
    """Candidates of every query, each once with the numbers of the queries that proposed it;
    and the candidates an existing index covers."""
    found: dict[tuple, Candidate] = {}
    origins: dict[Candidate, set[int]] = {}
    covered = []
    for number, shape in enumerate(shapes):
        if shape is None:
            continue
        generated = generate(shape, schema, stats, options)
        for candidate in generated.candidates:
            candidate = found.setdefault(candidate.identity, candidate)
            origins.setdefault(candidate, set()).add(number)
        covered += generated.covered
    return origins, covered


@contextmanager
def progress_bar(enabled: bool, description: str):
    """A tqdm bar on stderr; yields (bar, tick)."""
    from tqdm import tqdm

    with tqdm(total=0, desc=description, unit="step", file=sys.stderr, disable=not enabled,
              leave=False) as bar:
        def tick(label: str = "") -> None:
            bar.set_postfix_str(label, refresh=False)
            bar.update(1)
        yield bar, tick


def run_advice(target, queries, *, method: str = "auto", measure: bool = True, runs: int = 3,
               limits: Limits = Limits(), tenants: bool = True, progress: bool = False,
               schema=None) -> Run:
    """Steps 1–4 of the module docstring; see :func:`workbench.indexes.advise`."""
    conn = connection_of(target)
    queries = as_queries(queries)
    schema = schema or inspect(conn)
    shapes, errors = analyse_all(queries, schema)
    stats = column_stats(conn, [t for s in shapes if s for t in s.tables])
    with WhatIf(conn, method) as whatif, progress_bar(progress, "advising") as (bar, tick):
        installed = dict(whatif.available)
        candidates, covered = generate_all(shapes, schema, stats, Options(trigram=whatif.trigram))
        bar.total = len(candidates) + (2 * len(queries) if measure else 0) + 1
        evaluation = evaluate(whatif, queries, shapes, list(candidates), errors, tick)
        evaluation.origins = candidates
        selection = choose(evaluation, limits)
        if evaluate_in_context(whatif, evaluation, selection.chosen, tick):
            selection = choose(evaluation, limits)
        confirmation = confirm(whatif, evaluation, selection, measure=measure, runs=runs,
                               tenants=tenants, limits=limits, tick=tick)
    activity = {c.table_key: table_activity(conn, *c.table_key) for c in confirmation.chosen}
    return Run(queries, shapes, evaluation, selection, confirmation, covered, whatif.method, measure,
               schema, installed, activity)


def cases_for(whatif: WhatIf, evaluation: Evaluation, chosen: list[Candidate], tenants: bool) -> dict:
    """The cases to measure: queries reading a table that gets an index, with their samples."""
    tables = {c.table_key for c in chosen}
    cache: dict = {}
    cases = {}
    for number, shape in enumerate(evaluation.shapes):
        if shape is None or number in evaluation.errors or not tables & set(shape.tables):
            continue
        found = samples(whatif.conn, evaluation.queries[number], shape, cache, tenants)
        if found:
            cases[number] = found
    return cases


def confirm(whatif: WhatIf, evaluation: Evaluation, selection: Selection, *, measure: bool, runs: int,
            tenants: bool, limits: Limits = Limits(), tick=None) -> Confirmation:
    """Try the chosen set together; drop indexes that slow a case down or that no plan uses."""
    result = Confirmation(list(selection.chosen))
    cases = cases_for(whatif, evaluation, result.chosen, tenants) if measure else {}
    result.comparisons = measure_before(whatif.conn, cases, runs, tick)
    while result.chosen:
        with whatif.trial(result.chosen, real=measure) as made:
            result.names = {h.name: c for c, h in made.items() if h.ok}
            result.sizes = {c: h.size_bytes for c, h in made.items() if h.ok}
            result.size_method = {c: h.method for c, h in made.items() if h.ok}
            result.plans = final_plans(whatif, evaluation)
            measure_after(whatif.conn, result.comparisons, runs, tick)
        if not drop_one(result, selection.benefit, limits):
            break
    if not result.chosen:
        result.plans = {n: p for n, p in enumerate(evaluation.baseline) if p is not None}
        for comparison in result.comparisons:
            comparison.after = comparison.before
    return result


def final_plans(whatif: WhatIf, evaluation: Evaluation) -> dict[int, Plan]:
    plans = {}
    for number, query in enumerate(evaluation.queries):
        if evaluation.baseline[number] is None:
            continue
        try:
            plans[number] = whatif.plan(query)
        except WorkbenchError:
            plans[number] = evaluation.baseline[number]
    return plans


def drop_one(result: Confirmation, benefit: dict, limits: Limits) -> bool:
    """Take out one index that slows a case down, else those no plan uses, else those whose
    measured gain is too small; True when the set changed."""
    for comparison in result.comparisons:
        if comparison.slower:
            index = culprit(comparison, result.chosen, result.names, benefit)
            if index is not None:
                before, after = comparison.before.median_ms, comparison.after.median_ms
                result.removed[index] = (f"made query {comparison.number + 1} ({comparison.sample.label}) "
                                         f"slower: {before:.2f} ms -> {after:.2f} ms")
                result.chosen.remove(index)
                return True
    used = {result.names[n] for plan in result.plans.values() for n in plan.indexes_used() if n in result.names}
    used |= {c for comparison in result.comparisons for c in uses(comparison, result.names)}
    dropped = {c: "no query's plan uses it next to the other recommended indexes"
               for c in result.chosen if c not in used}
    if not dropped and result.comparisons:
        dropped = {c: reason for c in result.chosen
                   if (reason := small_gain(result, c, limits)) is not None}
    for index, reason in dropped.items():
        result.removed[index] = reason
        result.chosen.remove(index)
    return bool(dropped)


def small_gain(result: Confirmation, candidate: Candidate, limits: Limits) -> str | None:
    """Why ``candidate``'s measured gain is too small to pay for it (None when it is worth it)."""
    served = [c for c in result.comparisons if candidate in uses(c, result.names)
              and c.before.median_ms is not None and c.after and c.after.median_ms is not None]
    if not served:
        return None
    best = max(served, key=lambda c: c.before.median_ms - c.after.median_ms)
    saved = best.before.median_ms - best.after.median_ms
    if (best.ratio or 0) >= limits.min_speedup and saved >= limits.min_saved_ms:
        return None
    return (f"measured gain too small for its cost: best case query {best.number + 1} "
            f"({best.sample.label}) {best.before.median_ms:.2f} ms -> {best.after.median_ms:.2f} ms")
