"""Index advice for one query or a whole workload: candidates → what-if → choice → proof → Drafts.

1. Each query is parsed (pglast) and resolved against a schema snapshot; candidates are
   generated per table access (:mod:`.candidates`), existing indexes taken into account.
2. Every candidate is costed alone against every query on its table (:mod:`.evaluate`),
   with HypoPG or with real indexes in a rolled-back transaction (:mod:`.whatif`).
3. A small set is chosen greedily by benefit per byte (:mod:`.choose`); for joins, the other
   candidates are costed again with the chosen indexes present, and the choice is redone.
4. The set is built for real (rolled back) and each query is planned and, with ``measure``,
   run before and after, for the smallest and largest tenant too (:mod:`.samples`); an index
   that makes any case slower, or that no plan uses, leaves the set, the next best candidate
   may take its place, and the set is tried again (:mod:`.confirm`).
5. Each survivor becomes a Draft with the measured before/after in its rationale.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..catalog import inspect
from ..errors import WorkbenchError
from ..lint.config import load_config
from ..session import connection_of
from .candidates import Options, generate
from .choose import Limits, Selection, choose
from .confirm import Confirmation, confirm
from .evaluate import Evaluation, evaluate, evaluate_in_context
from .model import Candidate
from .progress import progress_bar
from .query import QueryShape, analyse
from .sources import Query, queries_from_sql
from .stats import column_stats, table_activity
from .whatif import WhatIf


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


def run_advice(target, queries, *, method: str = "auto", measure: bool = True, runs: int = 3,
               limits: Limits = Limits(), tenants: bool = True, progress: bool = False,
               schema=None) -> Run:
    """Steps 1–4 of the module docstring; see :func:`workbench.indexes.advise`."""
    conn = connection_of(target)
    queries = as_queries(queries)
    tenant_columns = load_config().tenant_columns
    schema = schema or inspect(conn)
    shapes, errors = analyse_all(queries, schema)
    stats = column_stats(conn, [t for s in shapes if s for t in s.tables])
    with WhatIf(conn, method) as whatif, progress_bar(progress, "advising") as tick:
        installed = dict(whatif.available)
        options = Options(trigram=whatif.trigram, tenant_columns=tenant_columns)
        candidates, covered = generate_all(shapes, schema, stats, options)
        tick.expect(len(candidates))
        evaluation = evaluate(whatif, queries, shapes, list(candidates), errors, tick)
        evaluation.origins = candidates
        selection = choose(evaluation, limits)
        if evaluate_in_context(whatif, evaluation, selection.chosen, tick):
            selection = choose(evaluation, limits)
        confirmation = confirm(whatif, evaluation, selection, measure=measure, runs=runs,
                               tenant_columns=tenant_columns if tenants else (), limits=limits,
                               tick=tick)
    activity = {c.table_key: table_activity(conn, *c.table_key) for c in confirmation.chosen}
    return Run(queries, shapes, evaluation, confirmation.selection, confirmation, covered, whatif.method,
               measure, schema, installed, activity)
