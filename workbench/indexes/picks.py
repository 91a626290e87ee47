"""Which challenges are worth their index builds, once the set is proven (:mod:`.challenge` times
them).

The planner prices some reads far from what they take on a warm server, and the choice follows
its estimates, so once the set is proven five kinds of challenge are timed:

- **Wider keys.** A sort of a few hundred rows, or a hash aggregate over a tenant's rows, is
  priced about as cheap as reading the rows in the order of an index. Measured, the ordered
  read is often several times faster: the five latest movements of each merchant (a
  ``LATERAL`` top-N) take 2.8 ms with ``(account_id)`` and 0.4 ms with
  ``(account_id, created_at)``. For the heaviest queries (calls × measured time), each chosen
  index they use is challenged by the candidate that extends its keys, holds every column it
  holds and is estimated cheapest for the query. A challenger that holds exactly the
  incumbent's columns, more of them as keys (``(org_id, status) INCLUDE (amount)`` for
  ``(org_id) INCLUDE (status, amount)``), is as big and serves whatever the incumbent
  serves: it wins when the query uses it and no case is slower.
- **One more index.** Merging two narrow picks into a broader one may cost a query little by
  the estimates and much when measured (an anti-join over a tenant's open tickets read in date
  order, 2 ms, becomes 24 ms). The heaviest queries that still take ``min_saved_ms`` or more
  each get the candidate estimated cheapest for them, beside the set, while the set has room.
- **No INCLUDE, one key less.** Fetching fifty rows from the table is priced as fifty random
  reads, so a covering index looks several times cheaper for a page of fifty; on cached data
  it saves hundredths of a millisecond, for an index twice the size. And a wide covering
  index may draw a query the set serves better with another of its indexes: the unanswered
  queue read a tenant's live tickets from ``(org_id, created_at, id) INCLUDE (subject,
  status, priority)`` in 7.4 ms; with its twin without INCLUDE the planner went to the set's
  small partial ``(status) WHERE status IN (...)`` instead, 1.8-2.1 ms (PostgreSQL 15, a
  500,000-row helpdesk). Each chosen covering index of at least :data:`SHRINK_MIN_BYTES` is challenged
  by its twin without INCLUDE (a report that reads a tenant's rows from the index alone is
  slower without it, and keeps it). Likewise an index of several keys by its twin without the
  last key: sorting a ticket's few comments costs nothing, and ``(ticket_id)`` deduplicates to
  40 % of ``(ticket_id, created_at)``.
- **A smaller index in its place.** The estimates may pick a big index for a query that a
  small one serves better: a tenant's customers of one company that have a ticket in
  progress, read through a 3.8 MB ``(status) INCLUDE (customer_id)`` in 2.4 ms, against
  0.4-1.4 ms through a 32 kB partial index of the customers or a 160 kB partial ``(customer_id)
  WHERE status IN (...)`` (PostgreSQL 15, a 500,000-row helpdesk). Each chosen index of at
  least :data:`SHRINK_MIN_BYTES` that no other challenge questions is challenged by the
  smaller candidate of its table estimated cheapest for the heaviest query whose measured
  plan uses it (not one that extends a chosen index), for the heaviest queries first.
- **One index fewer.** A chosen index whose keys another chosen index of its table starts with
  (with no predicate, or the same) may serve its queries about as well: a partial
  ``(ticket_id) WHERE author_agent_id IS NOT NULL`` next to ``(ticket_id)``. The estimates
  keep both when the narrow one is a little cheaper for one query; the set is timed without
  it.

A query with a wider challenger gets no other; a candidate that extends a chosen index is only
ever a wider one. At most :data:`PER_KIND` challenges of each kind are picked: each costs an
index build (one index fewer, none).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from .choose import Limits
from .evaluate import Evaluation
from .measure import Comparison, first_cases, uses, writes
from .model import Candidate

PER_KIND = 2
SHRINK_MIN_BYTES = 1 << 20

WIDER, ADDED, SMALLER, SWAPPED, FEWER = "wider", "added", "smaller", "swapped", "fewer"


@dataclass(frozen=True)
class Challenge:
    """``challenger`` may take the chosen ``incumbent``'s place (``kind`` WIDER: it extends its
    keys, timed on query ``number``; SMALLER: it is the incumbent without INCLUDE; SWAPPED: it
    is smaller, and estimated cheapest for query ``number``, which uses the incumbent; FEWER: it
    is chosen already, and its keys start with the incumbent's), or join the set for query
    ``number`` (ADDED, no incumbent)."""

    kind: str
    number: int | None
    incumbent: Candidate | None
    challenger: Candidate


def challenges(evaluation: Evaluation, result, limits: Limits) -> list[Challenge]:
    """The challenges worth their index builds: wider keys, then one more index, for the
    heaviest queries first (calls × their slowest case, when that takes ``min_saved_ms`` or
    more; one challenge per incumbent), then the biggest indexes against their smaller twins,
    then the big indexes against a smaller one in their place, then one index fewer."""
    slowest = {}
    for case in result.comparisons:
        if case.after is not None and case.after.ms is not None:
            slowest[case.number] = max(slowest.get(case.number, 0.0), case.after.ms)
    heavy = [case for case in first_cases(result.comparisons) if slowest.get(case.number, 0.0) >= limits.min_saved_ms]
    cases = sorted(heavy, key=lambda case: -evaluation.queries[case.number].calls * slowest[case.number])
    wider = widenings(evaluation, result, cases, limits)[:PER_KIND]
    widened = {pick.number for pick in wider}
    added = additions(evaluation, result, [c for c in cases if c.number not in widened], limits)[:PER_KIND]
    taken = {pick.incumbent for pick in wider}
    smaller = [pick for pick in shrinks(evaluation, result) if pick.incumbent not in taken][:PER_KIND]
    taken |= {pick.incumbent for pick in smaller}
    swapped = swaps(evaluation, result, taken, limits)[:PER_KIND]
    taken |= {pick.incumbent for pick in swapped}
    fewer = [pick for pick in redundant(result) if not {pick.incumbent, pick.challenger} & taken][:PER_KIND]
    # one more index gives way to a swap with the same challenger: the swap also takes the big one out
    swapping = {pick.challenger.identity for pick in swapped}
    added = [pick for pick in added if pick.challenger.identity not in swapping]
    return distinct_challengers(wider + added + smaller + swapped) + fewer


def redundant(result) -> list[Challenge]:
    """Each chosen index whose keys another chosen index of its table starts with (no predicate,
    or the same), against the set without it, biggest first; an index that serves another's
    queries this way is never itself taken out in the same round."""
    found, serving = [], set()
    for incumbent in sorted(result.chosen, key=lambda c: -(result.sizes.get(c) or 0)):
        if incumbent in serving:
            continue
        for other in result.chosen:
            if other is not incumbent and other not in {p.incumbent for p in found} and serves(other, incumbent):
                found.append(Challenge(FEWER, None, incumbent, other))
                serving.add(other)
                break
    return found


def serves(index: Candidate, other: Candidate) -> bool:
    """Whether ``index`` can serve ``other``'s queries by its keys: the same table and method,
    ``other``'s keys first, and no predicate or ``other``'s."""
    return (index.table_key == other.table_key and index.method == other.method
            and index.keys[:len(other.keys)] == other.keys and index.predicate in (None, other.predicate))


def distinct_challengers(picks: list[Challenge]) -> list[Challenge]:
    """The first pick of each challenger (by :attr:`.model.Candidate.identity`): two picks
    that both won would put the same index in the set twice."""
    seen, found = set(), []
    for pick in picks:
        if pick.challenger.identity not in seen:
            seen.add(pick.challenger.identity)
            found.append(pick)
    return found


def widenings(evaluation: Evaluation, result, cases: list[Comparison], limits: Limits) -> list[Challenge]:
    """For each case, each chosen index its plan uses against the candidate extending it."""
    picked, taken = [], set()
    for case in cases:
        for incumbent in sorted(uses(case, result.names) - taken, key=lambda c: c.body()):
            wide = challenger(evaluation, result, case.number, incumbent, limits)
            if wide is not None:
                taken.add(incumbent)
                picked.append(Challenge(WIDER, case.number, incumbent, wide))
    return picked


def challenger(evaluation: Evaluation, result, number: int, incumbent: Candidate, limits: Limits) -> Candidate | None:
    """The candidate extending ``incumbent`` that the estimates find cheapest for query
    ``number`` (the smaller on a tie), within the budget; None when there is none."""
    others = [c for c in result.chosen if c is not incumbent]
    pool = [wide for wide in evaluation.candidates if extends(wide, incumbent) and not is_known(wide, result)
            and fits(evaluation, result, incumbent, wide, limits)]
    found = cheapest(evaluation, number, pool, others)
    return found[1] if found else None


def cheapest(evaluation: Evaluation, number: int, pool: list[Candidate], chosen) -> tuple[float, Candidate] | None:
    """Of ``pool``, the candidate that serves query ``number`` (next to ``chosen``) at the
    lowest estimated cost, the smaller on a tie, with that cost; None when none serves it."""
    found = [(cost, evaluation.size(c) or 0, c) for c in pool
             if (cost := evaluation.cost(number, c, chosen)) is not None and evaluation.helps(number, c, chosen)]
    if not found:
        return None
    cost, _, best = min(found, key=lambda f: (f[0], f[1]))
    return cost, best


def extends(wide: Candidate, narrow: Candidate) -> bool:
    """Whether ``wide`` has ``narrow``'s keys and more, and every column ``narrow`` holds."""
    return (len(wide.keys) > len(narrow.keys) and wide.stands_in_for(narrow)
            and set(narrow.columns) <= set(wide.columns))


def additions(evaluation: Evaluation, result, cases: list[Comparison], limits: Limits) -> list[Challenge]:
    """For each read case whose estimated plan with the set costs more than some candidate
    alone, that candidate (the cheapest, the smaller on a tie), while the set has room. A
    candidate that extends a chosen index is a widening's to try, not one more index."""
    room = limits.max_indexes - len(result.chosen)
    picked: list[Challenge] = []
    for case in cases:
        plan = result.plans.get(case.number)
        if len(picked) >= room or plan is None or writes(case.after.plan):
            continue
        tried = {p.challenger.identity for p in picked}
        pool = [c for c in evaluation.candidates
                if not is_known(c, result) and c.identity not in tried
                and not any(extends(c, chosen) for chosen in result.chosen)
                and fits(evaluation, result, None, c, limits)]
        found = cheapest(evaluation, case.number, pool, result.chosen)
        if found and found[0] < plan.total_cost:
            picked.append(Challenge(ADDED, case.number, None, found[1]))
    return picked


def is_known(candidate: Candidate, result) -> bool:
    """Whether the same index (see :attr:`.model.Candidate.identity`) is chosen or was removed."""
    return any(candidate.identity == c.identity for c in (*result.chosen, *result.removed))


def fits(evaluation: Evaluation, result, incumbent: Candidate | None, challenger: Candidate, limits: Limits) -> bool:
    """Whether the set with ``challenger`` (in ``incumbent``'s place) stays within the budget."""
    if limits.budget_bytes is None:
        return True
    sizes = [result.sizes.get(c) or evaluation.size(c) or 0 for c in result.chosen if c is not incumbent]
    return sum(sizes) + (evaluation.size(challenger) or 0) <= limits.budget_bytes


def shrinks(evaluation: Evaluation, result) -> list[Challenge]:
    """Each chosen index of at least ``SHRINK_MIN_BYTES`` against its smaller twin (a candidate
    too), biggest first: a covering index against its twin without INCLUDE, an index of
    several keys against its twin without the last key. None on a table whose visibility map
    is mostly unset (:mod:`.visibility`): its index-only scans were timed visiting the table."""
    twins = {twin_key(c): c for c in evaluation.candidates if not c.include}
    unvacuumed = {table.table_key for table in evaluation.unvacuumed}
    found = []
    for incumbent in result.chosen:
        size = result.sizes.get(incumbent) or 0
        twin = twins.get(smaller_key(incumbent))
        if (twin is not None and not is_known(twin, result) and size >= SHRINK_MIN_BYTES
                and incumbent.table_key not in unvacuumed):
            found.append((size, Challenge(SMALLER, None, incumbent, twin)))
    return [pick for _, pick in sorted(found, key=lambda f: -f[0])]


def swaps(evaluation: Evaluation, result, taken: set, limits: Limits) -> list[Challenge]:
    """Each chosen index of at least ``SHRINK_MIN_BYTES`` not in ``taken`` against the smaller
    candidate of its table (not one extending a chosen index) the estimates find cheapest for
    the heaviest query (calls × measured time) whose measured plan uses it; the heaviest
    queries first, since their time is what a better index saves."""
    unvacuumed = {table.table_key for table in evaluation.unvacuumed}
    found = []
    for incumbent in result.chosen:
        size = result.sizes.get(incumbent) or 0
        heaviest = heaviest_user(evaluation, result, incumbent)
        if size < SHRINK_MIN_BYTES or incumbent in taken or heaviest is None or incumbent.table_key in unvacuumed:
            continue
        number, weight = heaviest
        others = [c for c in result.chosen if c is not incumbent]
        pool = [c for c in evaluation.candidates
                if c.table_key == incumbent.table_key and (evaluation.size(c) or size) < size
                and not is_known(c, result) and not any(extends(c, chosen) for chosen in result.chosen)
                and fits(evaluation, result, incumbent, c, limits)]
        cheaper = cheapest(evaluation, number, pool, others)
        if cheaper is not None:
            found.append((weight, Challenge(SWAPPED, number, incumbent, cheaper[1])))
    return [pick for _, pick in sorted(found, key=lambda f: -f[0])]


def heaviest_user(evaluation: Evaluation, result, incumbent: Candidate) -> tuple[int, float] | None:
    """The query (number) whose measured plan uses ``incumbent`` and that weighs most (calls ×
    measured time), with its weight; None when no read uses it."""
    weights = {}
    for case in result.comparisons:
        if (case.after is not None and case.after.ms is not None and not writes(case.after.plan)
                and incumbent in uses(case, result.names)):
            weight = evaluation.queries[case.number].calls * case.after.ms
            weights[case.number] = max(weights.get(case.number, 0.0), weight)
    if not weights:
        return None
    number = max(weights, key=weights.get)
    return number, weights[number]


def smaller_key(incumbent: Candidate) -> tuple | None:
    """The :func:`twin_key` of ``incumbent``'s smaller twin (None when it has none): without
    INCLUDE, or without its last key. A ticket's few comments sort in no time, and
    ``(ticket_id)`` is 40 % of ``(ticket_id, created_at)``, deduplicated."""
    if incumbent.include:
        return twin_key(incumbent)
    if len(incumbent.keys) > 1:
        return twin_key(replace(incumbent, keys=incumbent.keys[:-1]))
    return None


def twin_key(candidate: Candidate) -> tuple:
    return (candidate.table_key, candidate.method, candidate.keys, candidate.predicate)
