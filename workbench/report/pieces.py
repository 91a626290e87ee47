"""The optional pieces of a review, each from its own adapter: safety findings, advisor
findings, the diagram, the lock trace, the RLS matrix and the verify result, with a note for
each one that is missing or failed (a failed piece fails the checklist items that need it)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ..catalog.names import qualified
from ..drafts import Draft
from .diagram import diagram_entry, touched_tables
from .findings import advisor_entries, safety_entries
from .impact import trace_drafts
from .model import DiagramEntry, FindingEntry, Grid, VerifyEntry
from .probe import rls_matrix
from .simulate import Simulation, combine
from .verified import run_verify, verify_entry


@dataclass
class Pieces:
    """What the optional stations reported; ``missing`` maps a section to why it is absent."""

    safety: tuple[FindingEntry, ...] | None = None
    advisors: tuple[FindingEntry, ...] | None = None
    touched: tuple[tuple[str, str], ...] = ()
    diagram: DiagramEntry | None = None
    impact: tuple | None = None  # a PartTrace per Draft
    rls: Grid | None = None
    probe_ok: bool | None = None
    probe_note: str = ""
    verify: VerifyEntry | None = None
    verify_note: str = ""
    missing: dict[str, str] = field(default_factory=dict)

    def note(self, section: str, why: str) -> None:
        if why:
            self.missing[section] = why


def collect_pieces(session, drafts: Sequence[Draft], sim: Simulation, notes: Sequence[str],
                   verify=None, migrations_dir: Path | str | None = None) -> Pieces:
    """Run every optional piece on the change; none of them changes the database."""
    pieces = Pieces()
    pieces.note("dry run", sim.problem)
    pieces.safety, why = safety_entries(drafts, sim.before, notes)
    pieces.note("safety", why)
    pieces.advisors, introduced, why = advisor_entries(sim.before, sim.after, notes) \
        if sim.ok else (None, (), "the dry run did not run")
    pieces.note("advisors", why)
    pieces.touched = touched_tables(sim.before, sim.after)
    pieces.diagram, why = diagram_entry(sim.after, pieces.touched, introduced)
    pieces.note("diagram", why)
    pieces.impact, why = trace_drafts(session, drafts, sim.applied)
    pieces.note("impact", why)
    change = None if sim.applied else combine(drafts)
    pieces.rls, pieces.probe_ok, pieces.probe_note = rls_matrix(
        session, change, [qualified(*key) for key in pieces.touched])
    pieces.note("rls", pieces.probe_note if pieces.rls is None else "")
    pieces.verify, pieces.verify_note = verified_entry(session, verify, migrations_dir)
    pieces.note("verify", pieces.verify_note)
    return pieces


def verified_entry(session, verify, migrations_dir=None) -> tuple[VerifyEntry | None, str]:
    """The verify result: the report given, or a fresh run (``verify=True``) on the session's server."""
    if verify is None or verify is False:
        return None, "verify was not run"
    if verify is True:
        from ..dsn import with_database

        verify, note = run_verify(with_database(session.dsn, "postgres"), migrations_dir)
        if verify is None:
            return None, note
    return verify_entry(verify, session.dsn), ""
