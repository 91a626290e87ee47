"""After the proof: what the estimates misjudge, timed against the indexes chosen.

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

The set is built, and the cases of the query the challenge was picked for, and of every query
that uses the incumbent, are timed with it; then again with the incumbent (if any) dropped in a
rolled-back savepoint and the challenger built in its place. Each challenge is timed against the
whole set, as it would stand: other challenges' incumbents stay (the unanswered queue, timed
without the set's partial ``(status)`` index that another challenge questioned, took 50 ms with
either index of its own challenge, and 15 % of noise on 50 ms decided it). No case may be slower
with the challenger (:data:`.measure.NOISE_SHARE` plus :data:`.measure.NOISE_MS`; a twin without
INCLUDE and one index fewer, which only buy room, get :data:`SHRINK_SLACK_MS` instead of
``NOISE_MS``: 0.4 ms must not become 0.7 ms); a read that looks slower is timed again with more
runs, with each, before the writes are timed, and so are, for a challenge that only buys room
and once none looks slower, the reads that used the incumbent (:func:`retime_suspects`). Beyond that, a wider
challenger wins when a case of the query it was picked for (as written, or a sample tenant) uses
it and gets :data:`WIDER_RATIO` times faster and ``min_saved_ms`` quicker; one more index when
it gets ``min_speedup`` times faster and ``min_saved_ms`` quicker; a twin without INCLUDE wins
by being smaller, and so does one index fewer; a smaller index in its place when a case of the
query it was picked for uses it. A winner takes the incumbent's place (or joins
the set), and the set is proven again. At most :data:`PER_KIND` challenges of each kind are
tried: each costs an index build (one index fewer, none). A query with a wider challenger gets
no other; a candidate that extends a chosen index is only ever a wider one.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from .choose import Limits
from .evaluate import Evaluation
from .measure import (NOISE_MS, RECHECK_RUNS, Comparison, Run, first_cases, reads_then_writes, slower_than,
                      time_sample, uses, writes)
from .model import Candidate
from .progress import Tick, expect
from .whatif import WhatIf

WIDER_RATIO = 1.5
PER_KIND = 2
SHRINK_MIN_BYTES = 1 << 20
SHRINK_SLACK_MS = 0.05

WIDER, ADDED, SMALLER, SWAPPED, FEWER = "wider", "added", "smaller", "swapped", "fewer"
ROOM_ONLY = (SMALLER, SWAPPED, FEWER)  # challenges that only buy room: no case may be slower
REPLACED_BY = "replaced by "  # how a replaced incumbent's reason starts (the text advice lists them)


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


def challenge(whatif: WhatIf, evaluation: Evaluation, result, runs: int, limits: Limits,
              tick: Tick | None = None, tidy: Callable[[], None] = lambda: None) -> list[Challenge]:
    """Time the challenges of ``result`` (a :class:`.confirm.Confirmation`) and put the winners
    in the set; returns the winners. Every pick's reads are timed before any pick's writes
    (see :mod:`.tidy`), and ``tidy`` runs after."""
    picks = challenges(evaluation, result, limits)
    if not picks:
        return []
    expect(tick, len(picks))
    timings = {pick: ([], [], [], set()) for pick in picks}
    with whatif.trial(result.chosen, real=True) as chosen:
        for batch in (0, 1):
            for pick in picks:
                cases, held, tried, names = timings[pick]
                part = reads_then_writes(cases_of(result, pick))[batch]
                if not part:
                    continue
                runs_held = [time_sample(whatif.conn, case.sample, runs) for case in part]
                runs_with, made = timed_instead(whatif, chosen, pick, part, runs)
                if batch == 0:
                    made |= retime_suspects(whatif, chosen, pick, part, runs_held, runs_with)
                cases += part
                held += runs_held
                tried += runs_with
                names |= made
    tidy()
    winners = []
    for pick in picks:
        cases, held, tried, names = timings[pick]
        built = pick.kind != FEWER
        if (names or not built) and stood(chosen, pick) and wins(pick, cases, held, tried, names, limits, calls_of(evaluation)):
            winners.append(pick)
            promote(result, pick, cases, held, tried)
        if tick:
            tick("challenged")
    return winners


def stood(chosen: dict, pick: Challenge) -> bool:
    """Whether the incumbent (if any) was built with the set (``chosen``: the trial that built
    it): a build that failed (a lock timeout) left the set timed without it, and any
    challenger would look as good."""
    return pick.incumbent is None or (pick.incumbent in chosen and chosen[pick.incumbent].ok)


def challenges(evaluation: Evaluation, result, limits: Limits) -> list[Challenge]:
    """The challenges worth their index builds: wider keys, then one more index, for the
    heaviest queries first (calls × their slowest case, when that takes ``min_saved_ms`` or
    more; one challenge per incumbent), then the biggest covering indexes without INCLUDE."""
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
                and not any(extends(c, chosen) for chosen in result.chosen) and fits(evaluation, result, None, c, limits)]
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


def cases_of(result, pick: Challenge) -> list[Comparison]:
    """The cases to time: every case of the query the challenge was picked for, and of every
    query whose measured plan uses the incumbent."""
    numbers = {c.number for c in result.comparisons if pick.incumbent is not None
               and pick.incumbent in uses(c, result.names)}
    numbers |= {pick.number} if pick.number is not None else set()
    ordered = sorted(numbers, key=lambda n: n != pick.number)
    return [c for n in ordered for c in result.comparisons if c.number == n]


def timed_instead(whatif: WhatIf, chosen: dict, pick: Challenge, cases: list[Comparison],
                  runs: int) -> tuple[list[Run], set[str]]:
    """The cases timed with the set as the challenger would leave it: the incumbent hidden
    (``chosen``: the trial that built the set) and the challenger built (but one index fewer);
    with the names of the indexes built."""
    hidden = [chosen[pick.incumbent]] if pick.incumbent in chosen else []
    built = [] if pick.kind == FEWER else [pick.challenger]
    with whatif.without(hidden), whatif.trial(built, real=True) as made:
        names = {h.name for h in made.values() if h.ok}
        return [time_sample(whatif.conn, case.sample, runs) for case in cases], names


def retime_suspects(whatif: WhatIf, chosen: dict, pick: Challenge, cases: list[Comparison], held: list[Run],
                    tried: list[Run]) -> set[str]:
    """Time again, with :data:`.measure.RECHECK_RUNS` runs, the reads that look slower with the
    challenger, with the set and then as the challenger would leave it, replacing their
    timings in ``held`` and ``tried``; returns the names of the indexes built. Timed once (``runs`` runs), a read of a few tenths of a
    millisecond measures slower by chance: on a 500,000-row helpdesk the same twin without
    INCLUDE won in one advice and lost in the next, keeping a 10.1 MB index in place of a
    4.6 MB one.

    A challenge that only buys room wins when no read is slower, so a read timed slow by
    chance *with* the set concedes as falsely: once no read looks slower, the reads that used
    the incumbent are timed again too (a loaded machine once timed the balances no slower
    without the covering index they read whole, 5 ms against 14 ms when quiet)."""
    slack = slack_of(pick)
    suspects = [i for i, (before, after) in enumerate(zip(held, tried))
                if before.ms is not None and after.ms is not None and slower_than(before.ms, after.ms, slack)]
    made = retime(whatif, chosen, pick, cases, held, tried, suspects)
    if pick.kind not in ROOM_ONLY or any(slower_than(held[i].ms, tried[i].ms, slack) for i in suspects
                                         if held[i].ms is not None and tried[i].ms is not None):
        return made
    incumbent = chosen.get(pick.incumbent)
    users = [i for i, before in enumerate(held) if i not in suspects and incumbent is not None
             and before.plan is not None and incumbent.name in before.plan.indexes_used()]
    return made | retime(whatif, chosen, pick, cases, held, tried, users)


def retime(whatif: WhatIf, chosen: dict, pick: Challenge, cases: list[Comparison], held: list[Run],
           tried: list[Run], which: list[int]) -> set[str]:
    """Time the cases at positions ``which`` again with :data:`.measure.RECHECK_RUNS` runs,
    with the set and as the challenger would leave it, in place in ``held`` and ``tried``;
    returns the names of the indexes built (each build names its index anew)."""
    if not which:
        return set()
    again = [cases[i] for i in which]
    held_again = [time_sample(whatif.conn, case.sample, RECHECK_RUNS) for case in again]
    tried_again, made = timed_instead(whatif, chosen, pick, again, RECHECK_RUNS)
    for i, before, after in zip(which, held_again, tried_again):
        held[i], tried[i] = before, after
    return made


def slack_of(pick: Challenge) -> float:
    """The milliseconds beyond :data:`.measure.NOISE_SHARE` a case may grow with the challenger."""
    return SHRINK_SLACK_MS if pick.kind in ROOM_ONLY else NOISE_MS


def wins(pick: Challenge, cases: list[Comparison], held: list[Run], tried: list[Run], names: set[str],
         limits: Limits, calls: dict[int, int] | None = None) -> bool:
    """Whether the challenger wins (see the module docstring); ``held`` times ``cases`` with
    the set, ``tried`` as the challenger would leave it; ``calls`` per query number."""
    if not cases or any(run.ms is None for run in (*held, *tried)):
        return False
    if pick.kind == SWAPPED:
        return swap_wins(pick, cases, held, tried, names, calls or {})
    slack = slack_of(pick)
    if any(slower_than(before.ms, after.ms, slack) for before, after in zip(held, tried)):
        return False
    served = [(before, again) for case, before, again in zip(cases, held, tried)
              if case.number == pick.number and again.plan is not None and names & set(again.plan.indexes_used())]
    if pick.kind in ROOM_ONLY:
        return True
    if pick.kind == WIDER and rekeyed(pick):
        return bool(served)
    ratio = WIDER_RATIO if pick.kind == WIDER else limits.min_speedup
    return any(before.ms - again.ms >= limits.min_saved_ms and before.ms >= again.ms * ratio
               for before, again in served)


def swap_wins(pick: Challenge, cases: list[Comparison], held: list[Run], tried: list[Run], names: set[str],
              calls: dict[int, int]) -> bool:
    """A smaller index in the incumbent's place wins when a case of its query uses it, no read
    is slower, and what the writes lose (calls × the slower as-written cases) the reads gain
    back: a nightly write may take longer when the day's reads gain more."""
    slack = slack_of(pick)
    lost = gained = 0.0
    seen = set()
    for case, before, after in zip(cases, held, tried):
        written = writes(case.after.plan if case.after else None)
        if not written and slower_than(before.ms, after.ms, slack):
            return False
        if case.number not in seen:  # each query's as-written case counts its calls
            seen.add(case.number)
            weight = calls.get(case.number, 1)
            lost += weight * max(0.0, after.ms - before.ms) if written else 0.0
            gained += weight * max(0.0, before.ms - after.ms) if not written else 0.0
    served = any(case.number == pick.number and after.plan is not None and names & set(after.plan.indexes_used())
                 for case, after in zip(cases, tried))
    return served and lost <= gained


def calls_of(evaluation: Evaluation) -> dict[int, int]:
    """Calls per query number."""
    return {number: query.calls for number, query in enumerate(evaluation.queries)}


def rekeyed(pick: Challenge) -> bool:
    """Whether the challenger stores exactly the incumbent's columns, more of them as keys
    (``(org_id, status) INCLUDE (amount)`` for ``(org_id) INCLUDE (status, amount)``): as big,
    it serves whatever the incumbent serves, in the order of its extra keys. The estimates rank
    the two about equal, so it wins when the query uses it and no case is slower."""
    return pick.incumbent is not None and set(pick.challenger.columns) == set(pick.incumbent.columns)


def promote(result, pick: Challenge, cases: list[Comparison], held: list[Run], tried: list[Run]) -> None:
    """Put the challenger in the set of ``result`` (in its incumbent's place), saying why."""
    benefit = result.selection.benefit
    if pick.incumbent is None:
        result.chosen.append(pick.challenger)
        benefit[pick.challenger] = 0.0
        return
    if pick.kind == FEWER:
        result.chosen.remove(pick.incumbent)
    else:
        result.chosen[result.chosen.index(pick.incumbent)] = pick.challenger
        benefit[pick.challenger] = benefit.get(pick.incumbent, 0.0)
    case, before, after = cases[0], held[0], tried[0]
    measured = (f"query {case.number + 1}, {case.sample.label}: {before.ms:.2f} ms -> "
                f"{after.ms:.2f} ms, measured")
    if pick.kind == WIDER and rekeyed(pick):
        why = f"holds the same columns, more of them as keys, and no case is slower with it ({measured})"
    elif pick.kind == WIDER:
        why = f"reads the query in the order it needs ({measured})"
    elif pick.kind == FEWER:
        why = f"serves its queries as well, and no case is slower without it ({measured})"
    elif pick.kind == SWAPPED:
        why = f"is smaller, serves query {pick.number + 1} in its place, and no case is slower with it ({measured})"
    else:
        why = f"is smaller, and no query that uses it is slower with the smaller index ({measured})"
    result.removed[pick.incumbent] = f"{REPLACED_BY}{pick.challenger.body()}, which {why}"
