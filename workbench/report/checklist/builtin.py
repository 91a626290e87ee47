"""The built-in checklist items, registered like any team's own. Each one decides from
facts (the head schema, the dry run, verify, the types file), never from what a Draft says."""
from __future__ import annotations

from ...plans.words import ms
from ..model import FAILED, PASSED, UNAVAILABLE
from .facts import Facts, label, missing_commands
from .registry import checklist_item

NO_DRY_RUN = "the dry run did not run, so the head schema is not known"


def without_dry_run(facts: Facts):
    """The verdict of an item that needs the head schema when the dry run gave none: failed,
    with the error, when the dry run failed; else not available, saying why."""
    if facts.dry_run_failed:
        return FAILED, f"the dry run failed: {facts.problem}"
    return UNAVAILABLE, f"{NO_DRY_RUN}: {facts.problem}" if facts.problem else NO_DRY_RUN


@checklist_item("rls_on_new_tables", "Row Level Security is enabled on every new table")
def rls_on_new_tables(facts: Facts):
    if not facts.simulated:
        return without_dry_run(facts)
    tables = facts.new_tables()
    open_tables = [label(t) for t in tables if not t.rls_enabled]
    if open_tables:
        return FAILED, f"{len(open_tables)} new table(s) without Row Level Security", open_tables
    return PASSED, f"{len(tables)} new table(s), all with Row Level Security" if tables else "no new tables"


@checklist_item("policies_for_every_command",
                "Every new tenant table has a policy for each command (SELECT, INSERT, UPDATE, DELETE)")
def policies_for_every_command(facts: Facts):
    if not facts.simulated:
        return without_dry_run(facts)
    tables = [t for t in (*facts.new_tables(), *facts.newly_protected()) if facts.is_tenant_table(t)]
    gaps = [f"{label(t)}: no policy for {', '.join(missing_commands(t))}"
            for t in tables if missing_commands(t)]
    if gaps:
        return FAILED, f"{len(gaps)} tenant table(s) with commands no policy covers", gaps
    if not tables:
        return PASSED, "no new tenant tables"
    return PASSED, f"{len(tables)} tenant table(s), every command covered"


@checklist_item("indexes_on_new_foreign_keys", "Every new foreign key has an index on its columns")
def indexes_on_new_foreign_keys(facts: Facts):
    if not facts.simulated:
        return without_dry_run(facts)
    keys = facts.new_foreign_keys()
    bare = [f"{label(t)} {fk.name} ({', '.join(fk.columns)})" for t, fk in keys
            if fk.covering_index(t.indexes) is None]
    if bare:
        return FAILED, f"{len(bare)} new foreign key(s) without an index", bare
    return PASSED, f"{len(keys)} new foreign key(s), all indexed" if keys else "no new foreign keys"


@checklist_item("types_regenerated",
                "The application's types are regenerated (the types file matches the head schema)")
def types_regenerated(facts: Facts):
    if facts.types_path is None:
        return FAILED, ("no types file given (types_file in [tool.workbench.report], "
                        "or --types / types_file=)")
    if not facts.simulated:
        return without_dry_run(facts)
    return (PASSED if facts.types_ok else FAILED), facts.types_detail


@checklist_item("verify_passed", "The migration history verifies on a fresh database (up, down, up)")
def verify_passed(facts: Facts):
    if facts.verify is None:
        return FAILED, facts.verify_note or "verify was not run"
    return (PASSED if facts.verify.ok else FAILED), facts.verify.summary


@checklist_item("down_restores", "The rollback plan (down SQL) restores the schema exactly")
def down_restores(facts: Facts):
    if not facts.simulated:
        return without_dry_run(facts)
    if facts.restores is None:
        return FAILED, "no rollback plan: the change is irreversible"
    if facts.restores:
        return PASSED, "checked in the dry run"
    return FAILED, "the down SQL leaves the schema different (see the dry run)"


@checklist_item("rls_probe_passed", "The Row Level Security probe finds no rows leaking between tenants")
def rls_probe_passed(facts: Facts):
    if facts.probe_ok is None:
        return FAILED, facts.probe_note or "the RLS probe did not run"
    return (PASSED if facts.probe_ok else FAILED), facts.probe_note


@checklist_item("no_new_advisor_errors", "The change introduces no advisor errors")
def no_new_advisor_errors(facts: Facts):
    if not facts.simulated:
        return without_dry_run(facts)
    if facts.introduced is None:
        return FAILED, facts.advisors_note or "the advisors did not run"
    errors = [f"{f.rule}: {f.where}" for f in facts.introduced
              if f.level == "error" and f.status != "accepted"]
    if errors:
        return FAILED, f"{len(errors)} new advisor error(s)", errors
    return PASSED, f"{len(facts.introduced)} new finding(s), none an open error"


@checklist_item("no_long_blocking_locks",
                "No statement holds a lock that blocks reads or writes for longer than the limit "
                "(blocking_lock_limit, 1 s by default)")
def no_long_blocking_locks(facts: Facts):
    if facts.impact is None:
        return UNAVAILABLE, facts.impact_note or "the lock trace did not run"
    failed = [f"{part.label}: {part.error}" for part in facts.impact if not part.traced]
    if failed:
        return FAILED, "the lock trace failed", failed
    limit = ms(facts.lock_limit_ms)
    over = [f"{part.label}: {found}" for part in facts.impact for found in part.failures(facts.lock_limit_ms)]
    if over:
        return FAILED, f"{len(over)} lock(s) block reads or writes longer than {limit}", over
    statements = sum(len(part.trace) for part in facts.impact)
    return PASSED, f"{statements} statement(s) traced; no lock that blocks reads or writes held over {limit}"
