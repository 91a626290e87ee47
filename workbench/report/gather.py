"""``gather()``: one function that collects everything the report shows, from a session and
the Drafts of a change, into a :class:`ReviewData`. Each optional piece (safety checks,
advisors, diagram, lock trace, RLS probe, verify) goes through a small adapter (:mod:`.pieces`): when
one fails the report says why, the checks that needed it fail, and the rest still renders."""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import Sequence

from ..drafts import Draft
from ..drafts.diffparts import part_rows
from ..dsn import mask_dsn
from ..errors import WorkbenchError
from ..lint.config import load_config
from .checklist import CHECKLIST, Facts, run_checklist
from .config import ReportConfig, load_report_config
from .impact import impact_entries
from .model import ChangeEntry, DraftEntry, ReviewData
from .pieces import Pieces, collect_pieces
from .simulate import Simulation, simulate


def gather(session, drafts: Draft | Sequence[Draft], *, applied: bool | None = False, verify=None,
           types_file: Path | str | None = None, config: ReportConfig | None = None,
           title: str | None = None, sources: Sequence[str] = (),
           migrations_dir: Path | str | None = None, accepted: Sequence[str] = ()) -> ReviewData:
    """Collect the review of ``drafts`` on ``session`` (a Session).

    The change is dry-run (rolled back; ``applied=True`` when the database already holds
    it, None when that is not known), and each Draft's locks are traced in order (rolled
    back too; not when the change is applied). ``verify`` is a verify report, True to verify the
    history in ``migrations_dir`` (default: the project's) now, or None. The checklist runs
    the items ``config`` (default ``[tool.workbench.report]``) chooses; ``types_file``
    overrides its ``types_file``. ``sources`` names where each Draft came from; ``accepted``
    lists findings the reviewer accepted (``"rule: why"``), as the Drafts' notes do.
    """
    config = config or load_report_config()
    load_plugins(config.plugins)
    drafts = (drafts,) if isinstance(drafts, Draft) else tuple(drafts)
    sim = simulate(session, drafts, applied=applied)
    pieces = collect_pieces(session, drafts, sim, [*notes_of(drafts), *accepted], verify, migrations_dir)
    facts = make_facts(sim, config, pieces, types_file)
    return ReviewData(
        title=title or "Schema change: " + "; ".join(d.title for d in drafts),
        database=mask_dsn(session.dsn), server_version=sim.after.server_version, applied=sim.applied,
        drafts=tuple(draft_entry(d, s) for d, s in zip(drafts, [*sources, *[""] * len(drafts)])),
        changes=change_entries(sim), restores=sim.restores,
        touched=tuple(f"{schema}.{name}" for schema, name in pieces.touched), diagram=pieces.diagram,
        findings=(*(pieces.safety or ()), *(pieces.advisors or ())), rls=pieces.rls,
        verify=pieces.verify, accepted=tuple(accepted), unavailable=pieces.missing,
        impact=impact_entries(pieces.impact),
        checklist=run_checklist(facts, CHECKLIST.chosen(config.enable, config.disable)))


def notes_of(drafts: Sequence[Draft]) -> list[str]:
    return [note for draft in drafts for note in draft.notes]


def draft_entry(draft: Draft, source: str) -> DraftEntry:
    return DraftEntry(draft.title, draft.rationale, draft.up.strip(), draft.down.strip(),
                      draft.irreversible, draft.approved_by, tuple(draft.notes), source)


def change_entries(sim: Simulation) -> tuple[ChangeEntry, ...] | None:
    """The diff, each added or removed table followed by its parts (columns, indexes, policies…)."""
    if sim.diff is None:
        return None
    entries = []
    for change in sim.diff:
        entries.append(ChangeEntry(change.action, change.kind, change.name, tuple(change.fields)))
        if change.kind == "table" and change.action in ("added", "removed"):
            entries += [ChangeEntry(r["action"], r["kind"], r["name"], tuple(filter(None, [r["fields"]])))
                        for r in part_rows(change)]
    return tuple(entries)


def make_facts(sim: Simulation, config: ReportConfig, pieces: Pieces, types_file) -> Facts:
    """The facts the checklist decides from."""
    from ..embedded import project_home
    from ..typegen import types_status

    path = Path(types_file) if types_file else config.types_path(project_home())
    status = types_status(path, sim.after) if path is not None else None
    advisors = pieces.advisors
    introduced = None if advisors is None else tuple(f for f in advisors if f.status != "fixed")
    return Facts(sim.before, sim.after, sim.ok, sim.problem, sim.restores, tenant_columns(config),
                 pieces.verify, pieces.verify_note, pieces.probe_ok, pieces.probe_note, path,
                 status.ok if status else None, status.detail if status else "", introduced,
                 pieces.missing.get("advisors", ""), sim.failed, pieces.impact,
                 pieces.missing.get("impact", ""), config.blocking_lock_limit_ms)


def tenant_columns(config: ReportConfig) -> tuple[str, ...]:
    """The report's override (checked as the lint configuration checks it), else the
    configured ``[tool.workbench.lint] tenant_columns``: an invalid lint configuration is the
    same error here as in ``workbench lint``."""
    if config.tenant_columns is not None:
        return config.tenant_columns
    return load_config().tenant_columns


def load_plugins(modules: Sequence[str]) -> None:
    """Import the modules that register a team's own checklist items."""
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            raise WorkbenchError(f"cannot import the checklist plugin {name!r}: {exc}",
                                 where="plugins in [tool.workbench.report]",
                                 hint="name an importable module (on sys.path), or remove it") from None
