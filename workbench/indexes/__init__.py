"""The indexes station: candidate indexes from parsed SQL, what-if costing, workload advice.

- :func:`candidates` lists the indexes worth trying for one query (no server needed beyond
  a schema snapshot).
- :func:`advise` costs them (HypoPG, or real indexes in a rolled-back transaction), picks a
  small set for a workload, proves it by measuring, and returns :class:`Advice` whose
  recommendations each carry a Draft.
- :func:`queries_from_file` / :func:`queries_from_pg_stat_statements` load workloads.
"""
from __future__ import annotations

from .advice import Advice, QueryResult, Recommendation
from .candidates import Generated, Options
from .choose import Limits
from .model import Candidate, KeyPart
from .query import QueryShape, analyse
from .sources import Query, queries_from_file, queries_from_pg_stat_statements, queries_from_sql
from .whatif import WhatIf

__all__ = ["advise", "candidates", "Advice", "QueryResult", "Recommendation", "Candidate", "KeyPart",
           "Generated", "Options", "Limits", "Query", "QueryShape", "WhatIf", "analyse",
           "queries_from_file", "queries_from_pg_stat_statements", "queries_from_sql"]


def candidates(sql: str, schema, *, stats: dict | None = None, trigram: bool = False) -> Generated:
    """The candidate indexes for one statement, given a ``Schema`` snapshot (see :mod:`.candidates`);
    the tenant columns are the configured ones (``[tool.workbench.lint] tenant_columns``)."""
    from ..lint.config import load_config
    from .candidates import generate

    options = Options(trigram=trigram, tenant_columns=load_config().tenant_columns)
    return generate(analyse(sql, schema), schema, stats, options)


def advise(target, queries, *, method: str = "auto", measure: bool = True, runs: int = 3,
           limits: Limits = Limits(), tenants=True, progress: bool = False, schema=None,
           max_size=None, drop_unused: bool | None = None, as_role: str | None = None) -> Advice:
    """Index advice for ``queries`` (SQL text, a list of SQL strings, or Query objects) on ``target``.

    ``method``: ``auto`` (HypoPG when available, else real indexes in a rolled-back
    transaction), ``hypopg`` or ``real``. ``measure`` runs each affected query before and
    after with the recommended indexes built for real (rolled back), and for the smallest
    and largest tenant when it filters on a tenant column (``[tool.workbench.lint]
    tenant_columns``); any index that makes a case slower is left out. Nothing is changed
    in the database.

    ``max_size`` (``"160MB"`` or bytes) is a budget for the indexes of the tables the workload
    reads: the existing ones the advice keeps count against it, and those no plan uses are
    proposed for dropping in a Draft of their own (``advice.drop_draft``; also without a
    budget with ``drop_unused=True``). ``advice.curve()`` shows the speed-up at each budget.

    ``as_role`` (``"authenticated"``) plans, costs and times every query as that role, with the
    JWT claims of sample tenants so Row Level Security policies apply: ``tenants=True`` picks
    the smallest, a median and the largest tenant; a list of claims (dicts or JSON objects)
    names them; ``False`` runs as the role without claims.
    """
    from .advice import build_advice
    from .advisor import run_advice

    run = run_advice(target, queries, method=method, measure=measure, runs=runs, limits=limits,
                     tenants=tenants, progress=progress, schema=schema, max_size=max_size,
                     drop_unused=drop_unused, as_role=as_role)
    return build_advice(run)
