"""Safer alternatives, each proven by its own trace.

:func:`safer` reads a migration with PostgreSQL's parser (pglast) and offers, for each risky
pattern it knows, a safer form made of steps, each a Draft (up and down SQL) run in a
transaction of its own:

- a foreign key or CHECK → ``NOT VALID``, then ``VALIDATE CONSTRAINT`` (:mod:`.validation`);
- ``SET NOT NULL`` → a validated ``CHECK (col IS NOT NULL)``, ``SET NOT NULL``, the check dropped;
- ``CREATE INDEX`` → ``CREATE INDEX CONCURRENTLY``; ``ADD UNIQUE``/``PRIMARY KEY`` → the unique
  index built concurrently, then ``USING INDEX`` (:mod:`.concurrent`);
- ``ADD COLUMN … DEFAULT volatile()`` → the column, ``SET DEFAULT``, a batched backfill
  (:mod:`.backfill`);
- a rewriting type change → expand and contract (:mod:`.expand`).

Statements it does not know stay as written; with none known, the answer is "no safer form
known", never an error. :func:`compare` traces the migration as written and its safer form
the same way and returns a :class:`~.comparison.Comparison` showing both side by side.
"""
from __future__ import annotations

from .comparison import Comparison
from .form import Safer
from .plan import build
from .retaken import with_retaken
from .trace import DEFAULT_LOCK_TIMEOUT, split, sql_of, trace


def safer(draft_or_sql, schema=None) -> Safer:
    """The safer form of ``draft_or_sql`` (a Draft, whose up SQL is read, or SQL text).
    ``schema`` (a snapshot from :func:`workbench.inspect`) lets the rules see the tables as
    they are: names already taken, current column definitions (needed for expand and
    contract), columns already NOT NULL, partitioned tables, the schema's volatile functions."""
    text, label = sql_of(draft_or_sql)
    return build(split(text, label), schema, title_of(draft_or_sql), text)


def compare(target, draft_or_sql, *, schema=None, production_rows: dict[str, int] | None = None,
            lock_timeout: str | float = DEFAULT_LOCK_TIMEOUT, squawk: bool = False) -> Comparison:
    """Trace ``draft_or_sql`` as written and its safer form on ``target`` (a Session or
    connection), each in a rolled-back transaction, and compare them. A statement whose
    safer form only pays off when it rewrites (a volatile default, a type change) is kept as
    written when the trace sees no rewrite. ``schema`` defaults to a fresh snapshot of
    ``target``; ``production_rows``, ``lock_timeout`` and ``squawk`` go to both traces. Locks
    a later step takes again, which the trace cannot see, are added as documented
    (:mod:`.retaken`)."""
    from ..catalog import inspect

    schema = schema if schema is not None else inspect(target)
    options = {"production_rows": production_rows, "lock_timeout": lock_timeout, "squawk": squawk}
    risky = with_retaken(trace(target, draft_or_sql, **options))
    text, label = sql_of(draft_or_sql)
    pieces = split(text, label)
    plan = build(pieces, schema, title_of(draft_or_sql), text)
    keep = without_rewrite(plan, risky)
    if keep:
        plan = build(pieces, schema, title_of(draft_or_sql), text, keep)
    notes = tuple(f"statement {n} is kept as written: the trace saw it rewrite nothing" for n in sorted(keep))
    safer_trace = with_retaken(trace(target, plan.sql(), **options)) if plan.known else None
    return Comparison(risky, plan, safer_trace, notes)


def without_rewrite(plan: Safer, risky) -> set[int]:
    """The statements whose safer form pays off only with a rewrite the trace did not see."""
    return {a.statement for a in plan.alternatives
            if a.needs_rewrite and not any(name not in risky[a.statement - 1].owners
                                           for name in risky[a.statement - 1].rewrites)}


def title_of(draft_or_sql) -> str:
    title = getattr(draft_or_sql, "title", None)
    return f"{title} (safer form)" if isinstance(title, str) else "Safer form of the migration"
