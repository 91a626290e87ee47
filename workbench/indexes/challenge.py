"""After the proof: the challenges of :mod:`.picks`, timed against the indexes chosen.

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
query it was picked for uses it, and what the writes lose the reads gain back (:func:`swap_wins`,
the one challenge under which a write may be slower). A winner takes the incumbent's place (or joins
the set), and the set is proven again.
"""
from __future__ import annotations

from typing import Callable

from .choose import Limits
from .evaluate import Evaluation
from .measure import NOISE_MS, RECHECK_RUNS, Comparison, Run, reads_then_writes, slower_than, time_sample, uses, writes
from .picks import FEWER, SMALLER, SWAPPED, WIDER, Challenge, challenges
from .progress import Tick, expect
from .whatif import WhatIf

WIDER_RATIO = 1.5
SHRINK_SLACK_MS = 0.05

ROOM_ONLY = (SMALLER, SWAPPED, FEWER)  # challenges that only buy room: no read may be slower
REPLACED_BY = "replaced by "  # how a replaced incumbent's reason starts (the text advice lists them)


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
        if ((names or not built) and stood(chosen, pick)
                and wins(pick, cases, held, tried, names, limits, calls_of(evaluation))):
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
    timings in ``held`` and ``tried``; returns the names of the indexes built. Timed once
    (``runs`` runs), a read of a few tenths of a millisecond measures slower by chance: on a
    500,000-row helpdesk the same twin without INCLUDE won in one advice and lost in the next,
    keeping a 10.1 MB index in place of a 4.6 MB one.

    A challenge that only buys room wins when no read is slower, so a read timed slow by
    chance *with* the set concedes as falsely: once no read looks slower, the reads that used
    the incumbent are timed again too (timed slow once, the balances could look no slower
    without the covering index they read whole: 5 ms with it, 14 ms without, on a quiet
    machine)."""
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
