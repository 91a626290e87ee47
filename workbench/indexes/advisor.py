"""Index advice for one query or a whole workload: candidates → what-if → choice → proof → Drafts.

1. Each query is parsed (pglast) and resolved against a schema snapshot; the foreign-key
   lookups its DELETEs fire join the workload (:mod:`.lookups`), and so do the foreign keys
   its queries join through (:mod:`.navigation`); candidates are generated per
   table access (:mod:`.candidates`), existing indexes taken into account.
2. Every candidate is costed alone against every query on its table (:mod:`.evaluate`),
   with HypoPG or with real indexes in a rolled-back transaction (:mod:`.whatif`); the
   groups that serve an ``OR`` (one index per arm) are costed together as well.
3. A small set is chosen greedily by benefit per byte, less the cost each index adds to the
   workload's writes (:mod:`.writes`), and narrow picks one broader index serves as well are
   merged (:mod:`.merge`) (:mod:`.choose`); for joins, the other
   candidates are costed again with the chosen indexes present, and the choice is redone.
   With a size budget (``max_size``), the existing indexes the advice keeps count against it,
   those no plan uses may go (:mod:`.unused`), and the top candidates are searched exactly
   (:mod:`.budget`).
4. The set is built for real (rolled back) and each query is planned and, with ``measure``,
   run before and after, for the smallest and largest tenant too (:mod:`.samples`); an index
   that makes any case slower, or that no plan uses, leaves the set, the next best candidate
   may take its place, and the set is tried again (:mod:`.confirm`). The tables the timed
   writes change are vacuumed after them, so that the reads are timed as they run on a live
   server (:mod:`.tidy`).
5. Each survivor becomes a Draft with the measured before/after in its rationale.

With ``as_role`` every query is planned and timed as that role with the claims of sample
tenants (:mod:`.viewers`), and the policies' filters join each query's conditions
(:mod:`.policies`), so candidates can lead with what the policies filter on.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..catalog import inspect
from ..errors import WorkbenchError
from ..lint.config import load_config
from ..session import connection_of
from .budget import Budget, budgeted, parse_size
from .candidates import Options, generate
from .choose import Limits, Selection, choose, weights
from .confirm import Confirmation, confirm
from .evaluate import Evaluation, evaluate, evaluate_groups, evaluate_in_context
from .lookups import foreign_key_lookups
from .model import Candidate
from .navigation import navigation_paths
from .policies import add_policy_conditions
from .progress import progress_bar
from .query import QueryShape, analyse
from .samples import smallest_tenant
from .sources import Query, queries_from_sql
from .stats import column_stats, predicate_shares, table_activity
from .tidy import Tidy, written_tables
from .unused import Unused, droppable, index_scans, is_used, kept_bytes, used_names
from .viewers import Viewer, check_role, viewers_for
from .visibility import unvacuumed
from .whatif import WhatIf
from .writes import upkeep_of, writes_of


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
    budget: Budget | None = None
    unused: list[Unused] = field(default_factory=list)
    viewers: list[Viewer] = field(default_factory=list)
    role: str | None = None


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


@dataclass
class Proposed:
    """Every query's candidates, each once with the numbers of the queries that proposed it;
    the candidates an existing index covers; the groups that serve an ``OR`` together, each
    with the queries it serves."""

    origins: dict[Candidate, set[int]] = field(default_factory=dict)
    covered: list = field(default_factory=list)
    groups: dict[tuple[Candidate, ...], set[int]] = field(default_factory=dict)


def generate_all(shapes, schema, stats, options: Options) -> Proposed:
    """The candidates of every query of the workload (see :class:`Proposed`)."""
    found: dict[tuple, Candidate] = {}
    proposed = Proposed()
    for number, shape in enumerate(shapes):
        if shape is None:
            continue
        generated = generate(shape, schema, stats, options)
        for candidate in generated.candidates:
            candidate = found.setdefault(candidate.identity, candidate)
            proposed.origins.setdefault(candidate, set()).add(number)
        for group in generated.groups:
            group = tuple(found[member.identity] for member in group)
            proposed.groups.setdefault(group, set()).add(number)
        proposed.covered += generated.covered
    return proposed


def smallest_tenants(conn, queries, shapes, errors, tenant_columns) -> dict:
    """{query number: the query as its smallest tenant runs it}, for the queries that pick one
    tenant (see :func:`.evaluate.evaluate`)."""
    found, cache = {}, {}
    for number, (query, shape) in enumerate(zip(queries, shapes)):
        if shape is None or number in errors:
            continue
        sample = smallest_tenant(conn, query, shape, cache, tenant_columns)
        if sample is not None:
            found[number] = sample
    return found


def workload_tables(shapes) -> list[tuple[str, str]]:
    """The tables the workload reads, each once, in order of appearance."""
    return list(dict.fromkeys(t for shape in shapes if shape for t in shape.tables))


def as_viewers(conn, schema, shapes, role: str | None, tenants, tenant_columns) -> list[Viewer]:
    """The sample tenants to plan and time as (none without ``role``); the policies' filters
    are added to the queries' shapes."""
    if not role:
        return []
    check_role(conn, role)
    viewers = viewers_for(conn, schema, workload_tables(shapes), role, tenants, tenant_columns)
    for shape in shapes:
        if shape is not None:
            add_policy_conditions(shape, schema, role, tenant_columns)
    return viewers


def find_unused(conn, schema, tables, plans) -> list[Unused]:
    """The existing indexes of ``tables`` no plan uses and nothing else needs (see :mod:`.unused`)."""
    scans = index_scans(conn, tables)
    return [Unused(index, scans.get(index.key)) for index in droppable(schema, tables, used_names(plans))]


def still_unused(unused: list[Unused], confirmation: Confirmation, baseline) -> list[Unused]:
    """Those of ``unused`` that no plan uses with the recommended indexes either."""
    plans = [*baseline, *confirmation.plans.values()]
    plans += [run.plan for c in confirmation.comparisons for run in (c.before, c.after) if run is not None]
    used = used_names(plans)
    return [u for u in unused if not is_used(u.index, used)]


def add_foreign_key_paths(conn, queries: list[Query], shapes: list, schema,
                          tenant_columns=()) -> dict[int, set]:
    """Append the foreign-key lookups the DELETEs fire and the foreign keys the queries join
    through to the workload (one query per path, calls added up); returns {DELETE's number:
    the tables its lookups read}."""
    fires: dict[int, set] = {}
    synthetic: dict[str, int] = {}
    lookups = foreign_key_lookups(conn, queries, shapes, schema)
    for path, shape, fired_by in lookups:
        synthetic[path.sql] = len(queries)
        queries.append(path)
        shapes.append(shape)
        for number in fired_by:
            fires.setdefault(number, set()).update(shape.tables)
    for path, shape, _ in navigation_paths(queries, shapes, schema, tenant_columns):
        if path.sql in synthetic:
            known = queries[synthetic[path.sql]]
            queries[synthetic[path.sql]] = replace(known, calls=known.calls + path.calls)
            continue
        queries.append(path)
        shapes.append(shape)
    return fires


def run_advice(target, queries, *, method: str = "auto", measure: bool = True, runs: int = 3,
               limits: Limits = Limits(), tenants=True, progress: bool = False, schema=None,
               max_size=None, drop_unused: bool | None = None, as_role: str | None = None) -> Run:
    """Steps 1–4 of the module docstring; see :func:`workbench.indexes.advise`."""
    conn = connection_of(target)
    queries = as_queries(queries)
    tenant_columns = load_config().tenant_columns
    total = parse_size(max_size) if max_size is not None else None
    drop = total is not None if drop_unused is None else drop_unused
    schema = schema or inspect(conn)
    shapes, errors = analyse_all(queries, schema)
    fires = add_foreign_key_paths(conn, queries, shapes, schema, tenant_columns)
    tables = workload_tables(shapes)
    viewers = as_viewers(conn, schema, shapes, as_role, tenants, tenant_columns)
    stats = column_stats(conn, tables)
    stale = unvacuumed(conn, tables)
    with WhatIf(conn, method, viewer=viewers[0] if viewers else None) as whatif, \
            progress_bar(progress, "advising") as tick:
        installed = dict(whatif.available)
        options = Options(trigram=whatif.trigram, tenant_columns=tenant_columns)
        proposed = generate_all(shapes, schema, stats, options)
        candidates, covered = proposed.origins, proposed.covered
        tick.expect(len(candidates) + len(proposed.groups))
        smallest = smallest_tenants(conn, queries, shapes, errors, tenant_columns) if tenants and not viewers else {}
        evaluation = evaluate(whatif, queries, shapes, list(candidates), errors, tick, smallest)
        evaluation.origins = candidates
        evaluation.fires = fires
        evaluation.unvacuumed = stale
        evaluate_groups(whatif, evaluation, proposed.groups, tick)
        written = {w.table_key for w in writes_of(evaluation)}
        shares = predicate_shares(conn, [c for c in evaluation.candidates if c.table_key in written])
        as_run = weights(evaluation, least_share=0.0)
        evaluation.upkeep = upkeep_of(evaluation, as_run, schema, shares)
        evaluation.write_cost = evaluation.upkeep.alone(evaluation.candidates)
        unused = find_unused(conn, schema, tables, evaluation.baseline) if drop else []
        budget = Budget(total, kept_bytes(schema, tables, unused)) if total is not None else None
        limits = budgeted(limits, budget)
        selection = choose(evaluation, limits)
        if evaluate_in_context(whatif, evaluation, selection.chosen, tick):
            selection = choose(evaluation, limits)
        room = None if total is None else (
            lambda result, unused=unused: total - kept_bytes(schema, tables,
                                                             still_unused(unused, result, evaluation.baseline)))
        tidy = Tidy(conn, written_tables(evaluation.baseline, fires) if measure else set())
        try:
            confirmation = confirm(whatif, evaluation, selection, measure=measure, runs=runs,
                                   tenant_columns=tenant_columns if tenants else (), limits=limits,
                                   tick=tick, viewers=viewers, room=room, tidy=tidy)
        finally:
            tidy.close()
        confirmation.tidy_note = tidy.failed
    unused = still_unused(unused, confirmation, evaluation.baseline)
    budget = Budget(total, kept_bytes(schema, tables, unused)) if total is not None else None
    activity = {c.table_key: table_activity(conn, *c.table_key) for c in confirmation.chosen}
    return Run(queries, shapes, evaluation, confirmation.selection, confirmation, covered, whatif.method,
               measure, schema, installed, activity, budget, unused, viewers, as_role)
