"""Checks of the whole history at head, on a second fresh database upgraded in one go:
the same schema as the stairway reached, no drift from a development database, the seed
and invariants, the RLS probe, the advisors."""
from __future__ import annotations

from pathlib import Path

from ..catalog import Schema
from ..dsn import mask_dsn, scrub
from ..migrations import upgrade
from ..session import Session
from .advisors import Advisors
from .invariants import invariant_checks, seed_check
from .isolation import isolation_check
from .report import FAILED, PASSED, Check
from .snapshots import DRIFT, HEAD_VS_STAIRWAY, differences, snapshot
from .stairway import converged, first_line

UPGRADE = "upgrade to head"
SAME_AS_STAIRWAY = "same schema as the stairway"
DRIFT_CHECK = "drift"


def head_checks(migrations_dir: Path, dsn: str, stairway_head: Schema | None, *,
                drift: str | None = None, data: bool = True, rls: bool = True,
                advisors: Advisors | None = None) -> list[Check]:
    """Upgrade the empty database at ``dsn`` to head in one go, then check what it holds."""
    try:
        upgrade(migrations_dir, dsn, "head")
    except Exception as exc:  # reported with the error; the stairway names the revision
        return [Check(UPGRADE, FAILED, scrub(first_line(exc), dsn))]
    checks = [Check(UPGRADE, PASSED)]
    with Session(dsn) as session:
        head = snapshot(session)
        if stairway_head is not None:
            checks.append(converged(SAME_AS_STAIRWAY, head, stairway_head, HEAD_VS_STAIRWAY))
        if drift:
            checks.append(drift_check(head, drift))
        if advisors:
            checks.append(advisors.at_head(head))
        if data:
            seed = seed_check(session, migrations_dir)
            checks += [seed, *invariant_checks(session, migrations_dir, seeded=seed.ok)]
        if rls:
            checks.append(isolation_check(session, head, migrations_dir))
    return checks


def drift_check(head: Schema, dev_dsn: str, against: str = "the head schema") -> Check:
    """Compare the development database at ``dev_dsn`` with the schema the history builds."""
    try:
        with Session(dev_dsn) as dev:
            actual = snapshot(dev)
    except Exception as exc:  # an unreachable database is a failed check, said plainly
        return Check(DRIFT_CHECK, FAILED, f"cannot inspect {mask_dsn(dev_dsn)}: "
                     + scrub(first_line(exc), dev_dsn))
    if actual == head:
        return Check(DRIFT_CHECK, PASSED, f"{actual.database} matches {against}")
    items = differences(head, actual, DRIFT)
    return Check(DRIFT_CHECK, FAILED, f"{actual.database} differs from {against} "
                 f"in {len(items)} object(s)", items)
