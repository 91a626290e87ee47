"""Candidate indexes for a query, from what it asks of each table (see :mod:`.query`).

Per table access the generator builds key lists the way a careful engineer would:
equality columns first (the tenant column leading), then IN lists, then the range column,
then ORDER BY columns with their direction; and variations of those: the same without the
constant conditions, which move into a partial index's WHERE (``status = 'open'``,
``deleted_at IS NULL``); INCLUDE columns so the query can be answered from the index alone;
expression keys (``lower(email)``); GROUP BY keys after the equality ones (a report read in
order, from the index alone when covering); single-column and join-key indexes, and a join key
followed by the range or ORDER BY the other side asks for (the child rows of one parent in a
date range, or its latest N through ``LATERAL``); a trigram GIN index for ``LIKE
'%…%'``/``ILIKE`` when ``pg_trgm`` can be used. Candidates an existing index already covers (a
duplicate or a prefix of it) are dropped.

An ``OR`` across columns of one table (``org_id = 3 AND (assignee_id = 5 OR reporter_id = 5)``)
gets a *group*: one index per arm, each led by the AND-ed equality keys, which the planner
can BitmapOr; the group is costed together (:mod:`.evaluate`).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..catalog.names import quote_ident
from .existing import covering_index
from .model import Candidate, KeyPart
from .query import Access, Condition, Key, QueryShape
from .stats import ColumnStats

PARTIAL_OPS = ("null", "not_null", "bool")
SPARSE_NULLS = 0.5
CHOICE_OPS = ("eq", "in", "ne")


@dataclass(frozen=True)
class Options:
    """Limits and switches of the candidate generator. ``tenant_columns`` (the configured
    ones, ``[tool.workbench.lint] tenant_columns``) lead equality keys and never move into a
    partial index's WHERE."""

    trigram: bool = False
    tenant_columns: tuple[str, ...] = ()
    max_keys: int = 5
    max_include: int = 4
    max_per_access: int = 10
    low_cardinality: int = 100
    wide_bytes: int = 48


@dataclass
class Generated:
    """The candidates kept, those dropped because an existing index covers them, and the
    groups of candidates that serve an ``OR`` together (each member is also a candidate)."""

    candidates: list[Candidate] = field(default_factory=list)
    covered: list[tuple[Candidate, str]] = field(default_factory=list)
    groups: list[tuple[Candidate, ...]] = field(default_factory=list)


def generate(shape: QueryShape, schema, stats: dict | None = None, options: Options = Options()) -> Generated:
    """Candidates for every table the query reads, duplicates and covered ones removed."""
    result, seen = Generated(), {}
    for access in shape.accesses:
        indexes = schema.table((access.schema, access.table)).indexes
        for candidate in access_candidates(access, stats or {}, options):
            add(result, seen, candidate, indexes)
        for group in or_groups(access, stats or {}, options):
            members = [add(result, seen, member, indexes) for member in group]
            members = tuple(dict.fromkeys(m for m in members if m is not None))
            if len(members) > 1 and members not in result.groups:
                result.groups.append(members)
    return result


def add(result: Generated, seen: dict, candidate: Candidate, indexes) -> Candidate | None:
    """Keep ``candidate`` once (the kept one returned), unless an existing index covers it."""
    if candidate.identity in seen:
        return seen[candidate.identity]
    existing = covering_index(candidate, indexes)
    seen[candidate.identity] = None if existing is not None else candidate
    if existing is not None:
        result.covered.append((candidate, existing.name))
        return None
    result.candidates.append(candidate)
    return candidate


def or_groups(access: Access, stats: dict, options: Options) -> list[list[Candidate]]:
    """One index per arm of each ``OR`` group: the AND-ed equality keys, then the arm's
    equality keys and its first range; and the same without the AND-ed keys (a bare arm index
    also serves other queries on its column). An arm on a mostly NULL column gets a partial
    index ``WHERE column IS NOT NULL`` (an equality implies it)."""
    leading = equality_keys(access, {}, options.tenant_columns)
    groups = []
    for arms in access.any_of:
        for prefix in ([leading, []] if leading else [[]]):
            group = [arm_candidate(access, arm, prefix, stats, options) for arm in arms]
            if all(group):
                groups.append(group)
    return groups


def arm_candidate(access: Access, arm, prefix: list[KeyPart], stats: dict, options: Options) -> Candidate | None:
    """The index for one OR arm (None when the arm has nothing an index can lead with)."""
    inner = Access(access.schema, access.table, access.alias, access.all_columns, list(arm))
    keys = equality_keys(inner, {}, options.tenant_columns)
    keys += [part(c.key) for c in arm if c.op == "range"][:1]
    if not keys:
        return None
    sparse = [k.columns[0] for k in keys if not k.expression and is_sparse(access, k.columns[0], stats)]
    predicate = f"{quote_ident(sparse[0])} IS NOT NULL" if sparse else None
    keys = relative(prefix + keys)[:options.max_keys]
    return Candidate(access.schema, access.table, tuple(keys), predicate=predicate,
                     kinds=("equality", "or-branch") + (("partial",) if predicate else ()),
                     predicate_columns=tuple(sparse[:1]))


def is_sparse(access: Access, column: str, stats: dict) -> bool:
    """Whether most of the column's values are NULL (an index can leave them out)."""
    found = stats.get((access.schema, access.table, column))
    return found is not None and found.null_frac >= SPARSE_NULLS


def access_candidates(access: Access, stats: dict, options: Options) -> list[Candidate]:
    """Candidates for one table access, most promising first."""
    variants = key_variants(access, stats, options.tenant_columns)
    found: list[Candidate] = []
    fixed = partial_conditions(access, stats, options)
    for keys, kinds in variants:
        found.append(make(access, keys, kinds, options))
        found += covering(access, keys, kinds, None, options)
        if fixed:
            partial_keys = [k for k in keys if k.sql not in {c.key.sql for c in fixed}] or \
                           order_or_first(access, fixed)
            predicate = " AND ".join(sorted(dict.fromkeys(c.sql for c in fixed)))
            found += [with_predicate_columns(c, fixed) for c in
                      [make(access, partial_keys, kinds, options, predicate),
                       *covering(access, partial_keys, kinds, fixed, options, predicate)]]
    found = with_sparse_variant(access, found, stats)
    found += trigram_candidates(access, options)
    unique = list({c.identity: c for c in reversed(found) if c.keys}.values())[::-1]
    return unique[:options.max_per_access]


def with_sparse_variant(access: Access, found: list[Candidate], stats: dict) -> list[Candidate]:
    """``found`` with, right after the first candidate led by a mostly NULL column the query
    compares (``deleted_at < …``), the same as a partial index ``WHERE column IS NOT NULL``:
    the comparison implies it, and the index holds only the few rows that have a value."""
    compared = {c.key.sql for c in access.conditions if c.op in ("eq", "in", "range") and not c.key.expression}
    for position, candidate in enumerate(found):
        first = candidate.keys[0] if candidate.keys else None
        if (candidate.predicate is None and first is not None and not first.expression
                and first.sql in compared and is_sparse(access, first.columns[0], stats)):
            column = first.columns[0]
            variant = replace(candidate, predicate=f"{quote_ident(column)} IS NOT NULL",
                              kinds=tuple(dict.fromkeys((*candidate.kinds, "partial"))),
                              predicate_columns=(column,))
            return found[:position + 1] + [variant] + found[position + 1:]
    return found


def with_predicate_columns(candidate: Candidate, fixed: list[Condition]) -> Candidate:
    columns = tuple(dict.fromkeys(c for condition in fixed for c in condition.key.columns))
    return replace(candidate, predicate_columns=columns)


def key_variants(access: Access, stats: dict,
                 tenant_columns: tuple[str, ...]) -> list[tuple[list[KeyPart], tuple[str, ...]]]:
    """Key lists: equality+range(+order), equality+order, equality+GROUP BY, single columns,
    join keys (alone, followed by the range or ORDER BY, after the tenant column)."""
    equal = equality_keys(access, stats, tenant_columns)
    ranges = distinct_keys([c.key for c in access.conditions if c.op == "range"])
    order = [part(key, desc) for key, desc in access.order]
    variants = []
    if equal or ranges:
        main = equal + [part(k) for k in ranges[:1]]
        if order and ranges and order[0].sql == ranges[0].sql:
            main = equal + order
        variants.append((main + [part(k) for k in ranges[1:2]], ("equality", "range")))
    if order:
        trailing = [part(k) for k in ranges if k.sql not in {p.sql for p in order}][:1]
        variants.append((equal + order + trailing, ("equality", "order")))
    if access.group:
        variants.append((equal + [part(k) for k in access.group], ("equality", "group")))
    tenant = [k for k in equal if is_tenant_key(k, tenant_columns)]
    # A range alone, inside one tenant, serves the big tenants and leaves the small ones scanning
    # every tenant's rows in the range: the tenant leads instead (the variants above).
    singles = [k for k in equal if not is_constant_key(access, k)] + [part(k) for k in ranges[:1] if not tenant]
    variants += [([k], ("single",)) for k in singles]
    for key in distinct_keys(access.joins):
        variants.append(([part(key)], ("join",)))
        if order:
            variants.append(([part(key)] + order, ("join", "order")))
        elif ranges:
            variants.append(([part(key), part(ranges[0])], ("join", "range")))
        if tenant and key.column not in tenant_columns:
            variants.append(([tenant[0], part(key)], ("join", "equality")))
    order_keys = {p.sql for p in order}
    return [(relative(keys, order_keys), kinds) for keys, kinds in variants]


def equality_keys(access: Access, stats: dict, tenant_columns: tuple[str, ...]) -> list[KeyPart]:
    """Equality and IN keys: the tenant column first, parameters before constants, IN last."""
    conditions = [c for c in access.conditions if c.op == "eq"]
    conditions.sort(key=lambda c: (not c.picks_tenant(tenant_columns), c.constant))
    keys = distinct_keys([c.key for c in conditions])
    keys += [k for k in distinct_keys([c.key for c in access.conditions if c.op == "in"]) if k not in keys]
    return [part(k) for k in keys]


def is_tenant_key(key: KeyPart, tenant_columns: tuple[str, ...]) -> bool:
    """Whether ``key`` is a plain tenant column."""
    return not key.expression and len(key.columns) == 1 and key.columns[0] in tenant_columns


def is_constant_key(access: Access, key: KeyPart) -> bool:
    return all(c.constant for c in access.conditions if c.key.sql == key.sql)


def partial_conditions(access: Access, stats: dict, options: Options) -> list[Condition]:
    """Constant conditions worth moving into a partial index's WHERE clause."""
    found = []
    for condition in access.conditions:
        if condition.op in PARTIAL_OPS:
            found.append(condition)
        elif (condition.op in CHOICE_OPS and condition.constant and not condition.key.expression
              and condition.key.column not in options.tenant_columns
              and few_values(stats.get((access.schema, access.table, condition.key.sql)), options)):
            found.append(condition)
    return found


def few_values(column: ColumnStats | None, options: Options) -> bool:
    """Whether a column has few distinct values (unknown statistics: assume it may)."""
    return column is None or 0 < column.distinct <= options.low_cardinality


def order_or_first(access: Access, fixed: list[Condition]) -> list[KeyPart]:
    """Keys for a partial index whose conditions all moved into WHERE."""
    if access.order:
        return relative([part(key, desc) for key, desc in access.order], {k.sql for k, _ in access.order})
    return [part(fixed[0].key)]


def covering(access: Access, keys: list[KeyPart], kinds, fixed, options: Options,
             predicate: str | None = None) -> list[Candidate]:
    """The same index with INCLUDE columns, when that lets the query skip the table."""
    if access.columns is None:
        return []
    stored = {c for key in keys for c in key.columns}
    only_in_where = {c.key.sql for c in fixed or ()} - {c for k in keys for c in k.columns}
    extra = [c for c in access.all_columns if c in access.columns and c not in stored
             and c not in only_in_where]
    if not extra or len(extra) > options.max_include:
        return []
    return [make(access, keys, (*kinds, "covering"), options, predicate, tuple(extra))]


def trigram_candidates(access: Access, options: Options) -> list[Candidate]:
    """GIN trigram indexes for substring and case-insensitive patterns."""
    if not options.trigram:
        return []
    keys = distinct_keys([c.key for c in access.conditions if c.op in ("contains", "like")])
    return [Candidate(access.schema, access.table,
                      (KeyPart(k.sql, k.expression, opclass="gin_trgm_ops", bare=k.bare, columns=k.columns),),
                      method="gin", kinds=("trigram",), extension="pg_trgm") for k in keys]


def make(access: Access, keys: list[KeyPart], kinds, options: Options, predicate: str | None = None,
         include: tuple[str, ...] = ()) -> Candidate:
    keys = keys[:options.max_keys]
    return Candidate(access.schema, access.table, tuple(keys), include, predicate,
                     kinds=describe(access, keys, predicate, include))


def describe(access: Access, keys: list[KeyPart], predicate: str | None, include) -> tuple[str, ...]:
    """What the index is made of: equality, range, order, join keys; partial, covering…"""
    roles = {"equality": {c.key.sql for c in access.conditions if c.op in ("eq", "in")},
             "range": {c.key.sql for c in access.conditions if c.op == "range"},
             "order": {k.sql for k, _ in access.order},
             "group": {k.sql for k in access.group},
             "join": {k.sql for k in access.joins}}
    sqls = {k.sql for k in keys}
    kinds = [role for role, members in roles.items() if sqls & members]
    kinds += ["multi-column"] if len(keys) >= 2 else []
    kinds += ["expression"] if any(k.expression for k in keys) else []
    kinds += ["partial"] if predicate else []
    kinds += ["covering"] if include else []
    return tuple(kinds)


def part(key: Key, descending: bool = False) -> KeyPart:
    return KeyPart(key.sql, key.expression, descending, bare=key.bare, columns=key.columns)


def distinct_keys(keys: list[Key]) -> list[Key]:
    return list({key.sql: key for key in reversed(keys)}.values())[::-1]


def relative(keys: list[KeyPart], order: set[str] = frozenset()) -> list[KeyPart]:
    """Drop repeated keys; flip the ORDER BY keys when the first is descending (a btree index
    is read backwards just as well), so ``ORDER BY a DESC`` asks for ``(a)``."""
    unique = list({k.sql: k for k in reversed(keys)}.values())[::-1]
    ordered = [k for k in unique if k.sql in order]
    if ordered and ordered[0].descending:
        return [k.flipped() if k.sql in order else k for k in unique]
    return unique
