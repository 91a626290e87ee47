"""After the proof: what the estimates misjudge, timed against the indexes chosen.

The planner prices some reads far from what they take on a warm server, and the choice follows
its estimates both ways:

- **Wider keys.** A sort of a few hundred rows, or a hash aggregate over a tenant's rows, is
  priced about as cheap as reading the rows in the order of an index. Measured, the ordered
  read is often several times faster: the five latest movements of each merchant (a
  ``LATERAL`` top-N) take 2.8 ms with ``(account_id)`` and 0.4 ms with
  ``(account_id, created_at)``.
- **No INCLUDE.** Fetching fifty rows from the table is priced as fifty random reads, so a
  covering index looks several times cheaper for a page of fifty; on cached data it saves
  hundredths of a millisecond, for an index twice the size.

So once the set is proven, the heaviest queries (calls × measured time) whose plans use a
chosen index each bring one challenger for it: the candidate that extends its keys, holds every
column it holds and is estimated cheapest for the query. Each chosen covering index of at least
:data:`SHRINK_MIN_BYTES` is challenged by its twin without INCLUDE. The rest of the set is
built; then the incumbent alone and the challenger alone are built beside it, in turn, and the
cases of every query that uses the incumbent timed with each.

A wider challenger wins when the query it was picked for, as written, uses it and gets
:data:`WIDER_RATIO` times faster and ``min_saved_ms`` quicker; a twin without INCLUDE wins when
it is smaller. Either way, no case may be slower than with the incumbent (:data:`.measure.NOISE_SHARE`
plus :data:`.measure.NOISE_MS`). A winner takes the incumbent's place and the set is proven again.
At most :data:`MAX_CHALLENGES` are tried: each costs two index builds.
"""
from __future__ import annotations

from dataclasses import dataclass

from .choose import Limits
from .evaluate import Evaluation
from .measure import NOISE_MS, NOISE_SHARE, Comparison, Run, first_cases, time_sample, uses
from .model import Candidate
from .progress import Tick, expect
from .whatif import WhatIf

WIDER_RATIO = 1.5
MAX_CHALLENGES = 4
SHRINK_MIN_BYTES = 1 << 20


@dataclass(frozen=True)
class Challenge:
    """``challenger`` may take the chosen ``incumbent``'s place: it has wider keys, timed on
    query ``number`` (``wider``), or it is the incumbent without INCLUDE (not ``wider``)."""

    number: int | None
    incumbent: Candidate
    challenger: Candidate
    wider: bool = True


def challenge(whatif: WhatIf, evaluation: Evaluation, result, runs: int, limits: Limits,
              tick: Tick | None = None) -> list[Challenge]:
    """Time the challenges of ``result`` (a :class:`.confirm.Confirmation`) and put the winners
    in place of their incumbents; returns the winners."""
    picks = challenges(evaluation, result, limits)
    if not picks:
        return []
    expect(tick, len(picks))
    incumbents = {pick.incumbent for pick in picks}
    winners = []
    with whatif.trial([c for c in result.chosen if c not in incumbents], real=True):
        for pick in picks:
            cases = cases_of(result, pick)
            held, _ = timed_with(whatif, pick.incumbent, cases, runs)
            tried, names = timed_with(whatif, pick.challenger, cases, runs)
            if names and wins(pick, cases, held, tried, names, limits):
                winners.append(pick)
                promote(result, pick, cases, held, tried)
            if tick:
                tick("challenged")
    return winners


def challenges(evaluation: Evaluation, result, limits: Limits) -> list[Challenge]:
    """The challenges worth two index builds: wider keys for the heaviest queries first (one
    per incumbent), then the biggest covering indexes without INCLUDE."""
    weighed = []
    for case in first_cases(result.comparisons):
        after = case.after
        if after is None or after.median_ms is None or after.median_ms < limits.min_saved_ms:
            continue
        for incumbent in uses(case, result.names):
            wide = challenger(evaluation, result, case.number, incumbent, limits)
            if wide is not None:
                weight = evaluation.queries[case.number].calls * after.median_ms
                weighed.append((weight, Challenge(case.number, incumbent, wide)))
    picked, taken = [], set()
    for _, pick in sorted(weighed, key=lambda found: -found[0]):
        if pick.incumbent not in taken:
            taken.add(pick.incumbent)
            picked.append(pick)
    picked += [pick for pick in shrinks(evaluation, result) if pick.incumbent not in taken]
    return picked[:MAX_CHALLENGES]


def challenger(evaluation: Evaluation, result, number: int, incumbent: Candidate, limits: Limits) -> Candidate | None:
    """The candidate extending ``incumbent`` that the estimates find cheapest for query
    ``number`` (the smaller on a tie), within the budget; None when there is none."""
    others = [c for c in result.chosen if c is not incumbent]
    found = []
    for wide in evaluation.candidates:
        if not extends(wide, incumbent) or wide in result.chosen or wide in result.removed:
            continue
        cost = evaluation.cost(number, wide, others)
        if cost is None or not evaluation.helps(number, wide, others) or not fits(evaluation, result, incumbent, wide, limits):
            continue
        found.append((cost, evaluation.size(wide) or 0, wide))
    return min(found, key=lambda f: (f[0], f[1]))[2] if found else None


def extends(wide: Candidate, narrow: Candidate) -> bool:
    """Whether ``wide`` has ``narrow``'s keys and more, and every column ``narrow`` holds."""
    return (len(wide.keys) > len(narrow.keys) and wide.stands_in_for(narrow)
            and set(narrow.columns) <= set(wide.columns))


def fits(evaluation: Evaluation, result, incumbent: Candidate, wide: Candidate, limits: Limits) -> bool:
    """Whether the set with ``wide`` in ``incumbent``'s place stays within the storage budget."""
    if limits.budget_bytes is None:
        return True
    sizes = [result.sizes.get(c) or evaluation.size(c) or 0 for c in result.chosen if c is not incumbent]
    return sum(sizes) + (evaluation.size(wide) or 0) <= limits.budget_bytes


def shrinks(evaluation: Evaluation, result) -> list[Challenge]:
    """Each chosen covering index of at least ``SHRINK_MIN_BYTES`` against its twin without
    INCLUDE (a candidate too), biggest first."""
    twins = {twin_key(c): c for c in evaluation.candidates if not c.include}
    found = []
    for incumbent in result.chosen:
        twin = twins.get(twin_key(incumbent)) if incumbent.include else None
        size = result.sizes.get(incumbent) or 0
        if twin is not None and twin not in result.chosen and twin not in result.removed and size >= SHRINK_MIN_BYTES:
            found.append((size, Challenge(None, incumbent, twin, wider=False)))
    return [pick for _, pick in sorted(found, key=lambda f: -f[0])]


def twin_key(candidate: Candidate) -> tuple:
    return (candidate.table_key, candidate.method, candidate.keys, candidate.predicate)


def cases_of(result, pick: Challenge) -> list[Comparison]:
    """The cases to time: every case of the query the challenge was picked for, and of every
    query whose measured plan uses the incumbent."""
    numbers = {c.number for c in result.comparisons if pick.incumbent in uses(c, result.names)}
    numbers |= {pick.number} if pick.number is not None else set()
    ordered = sorted(numbers, key=lambda n: n != pick.number)
    return [c for n in ordered for c in result.comparisons if c.number == n]


def timed_with(whatif: WhatIf, index: Candidate, cases: list[Comparison], runs: int) -> tuple[list[Run], set[str]]:
    """The cases timed with ``index`` built beside the set, and its name (none when it failed)."""
    with whatif.trial([index], real=True) as made:
        names = {h.name for h in made.values() if h.ok}
        return [time_sample(whatif.conn, case.sample, runs) for case in cases], names


def wins(pick: Challenge, cases: list[Comparison], held: list[Run], tried: list[Run], names: set[str],
         limits: Limits) -> bool:
    """Whether the challenger wins (see the module docstring); ``held`` and ``tried`` time
    ``cases`` with the incumbent and with the challenger."""
    if not cases or any(run.median_ms is None for run in (*held, *tried)):
        return False
    if any(slower(before, after) for before, after in zip(held, tried)):
        return False
    if not pick.wider:
        return True
    first, again = held[0], tried[0]
    if again.plan is None or not names & set(again.plan.indexes_used()):
        return False
    return first.median_ms - again.median_ms >= limits.min_saved_ms and first.median_ms >= again.median_ms * WIDER_RATIO


def slower(before: Run, after: Run) -> bool:
    return after.median_ms > before.median_ms * (1 + NOISE_SHARE) + NOISE_MS


def promote(result, pick: Challenge, cases: list[Comparison], held: list[Run], tried: list[Run]) -> None:
    """Put the challenger in its incumbent's place in ``result``, saying why."""
    result.chosen[result.chosen.index(pick.incumbent)] = pick.challenger
    benefit = result.selection.benefit
    benefit[pick.challenger] = benefit.get(pick.incumbent, 0.0)
    case, before, after = cases[0], held[0], tried[0]
    if pick.wider:
        why = (f"reads query {case.number + 1} ({case.sample.label}) in the order it needs: "
               f"{before.median_ms:.2f} ms -> {after.median_ms:.2f} ms, measured")
    else:
        why = (f"is smaller, and no query that uses it is slower without INCLUDE (query {case.number + 1}, "
               f"{case.sample.label}: {before.median_ms:.2f} ms -> {after.median_ms:.2f} ms, measured)")
    result.removed[pick.incumbent] = f"replaced by {pick.challenger.body()}, which {why}"
