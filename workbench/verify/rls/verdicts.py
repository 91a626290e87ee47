"""From attempts to verdicts: one :class:`ProbeResult` per table and command.

Each command is checked both ways (tenant A against B's rows, then B against A's). Any
cross-tenant attempt RLS let through is a LEAK; an attempt that failed for another reason
leaves the command "not probed"; otherwise it is isolated. What the tenant could do with its
own rows is reported beside it, as information.
"""
from __future__ import annotations

from dataclasses import dataclass

from .blame import applicable, blame
from .checks import Outcome, Probe
from .report import ISOLATED, LEAK, NO_RLS, NOT_PROBED, ProbeResult

LEAKS = {
    "read": "tenant {a} can read tenant {b}'s row",
    "insert": "tenant {a} can insert a row into tenant {b} ({column} set to tenant {b}'s)",
    "update": "tenant {a} can update tenant {b}'s row",
    "steal": "tenant {a} can move tenant {b}'s row into its own tenant",
    "move": "tenant {a} can move its own row into tenant {b} (no WITH CHECK on {column})",
    "delete": "tenant {a} can delete tenant {b}'s row",
}
ISOLATION = {
    "SELECT": "tenant {b}'s row is invisible to tenant {a}",
    "INSERT": "a row for tenant {b} is refused to tenant {a}",
    "UPDATE": "tenant {a} can neither change tenant {b}'s row nor move a row into it",
    "DELETE": "tenant {a} cannot delete tenant {b}'s row",
}
DOING = {"SELECT": "read", "INSERT": "insert", "UPDATE": "update", "DELETE": "delete"}
OWN_RANK = {"allowed": 0, "blocked": 1, "error": 2}


@dataclass(frozen=True)
class Direction:
    """One command checked for one ordered pair of tenants: the ``cross`` attempts on the
    other tenant's rows (by check name), the attempt on the actor's ``own_outcome``, and the
    values of the cross-tenant INSERT (to name the policy that let it in)."""

    probe: Probe
    command: str
    cross: dict[str, Outcome]
    own_outcome: Outcome
    values: dict | None = None

    @property
    def verdict(self) -> str:
        """LEAK, not probed or isolated, from the cross-tenant attempts."""
        if any(o.through for o in self.cross.values()):
            return LEAK
        if not self.cross or any(o.status == "error" for o in self.cross.values()):
            return NOT_PROBED
        return ISOLATED

    @property
    def own(self) -> str:
        """What the actor could do with its own row: allowed, blocked or error."""
        status = self.own_outcome.status
        return "allowed" if self.own_outcome.through else "error" if status == "error" else "blocked"

    def detail(self) -> str:
        """What happened, in words."""
        names = {"a": self.probe.actor.name, "b": self.probe.victim.name, "column": self.probe.column}
        if self.verdict == LEAK:
            check, outcome = self.leak()
            text = LEAKS[check].format(**names)
            if outcome.status == "constraint":
                text += f" (RLS let it through; then: {outcome.message})"
            return text
        if self.verdict == NOT_PROBED:
            errors = [o.message for o in self.cross.values() if o.status == "error"]
            return f"the attempt failed for another reason: {errors[0]}" if errors else \
                "a new row of the tenant table is a new tenant: inserting one reaches no other tenant"
        return ISOLATION[self.command].format(**names)

    def leak(self) -> tuple[str, Outcome]:
        """The first cross-tenant attempt RLS let through."""
        return next((k, o) for k, o in self.cross.items() if o.through)

    def policies(self) -> tuple[str, ...]:
        """The policies to name: those admitting a leak, else every policy of the command."""
        if self.verdict == LEAK:
            return blame(self.probe, self.command, self.leak()[0], self.values)
        return tuple(p.name for p in applicable(self.probe.table, self.command))

    def own_note(self) -> str:
        """What the actor could not do with its own row (information, not a leak)."""
        if self.own == "error":
            return f"; own {self.command} failed: {self.own_outcome.message}"
        if self.own != "blocked":
            return ""
        policies = applicable(self.probe.table, self.command)
        reason = self.own_outcome.message if policies else f"no {self.command} policy"
        return (f"; blocked for own rows{f' ({reason})' if reason else ''}: tenant "
                f"{self.probe.actor.name} cannot {DOING[self.command]} its own row")


def combine(table: str, tenancy: str, command: str, directions: list[Direction]) -> ProbeResult:
    """One result from both directions: the worst verdict, with its detail and policies."""
    order = {LEAK: 0, NOT_PROBED: 1, ISOLATED: 2}
    worst = min(directions, key=lambda d: order[d.verdict])
    own = max(directions, key=lambda d: OWN_RANK[d.own])
    return ProbeResult(table, command, worst.verdict, worst.detail() + own.own_note(), worst.policies(),
                       own.own, tenancy, failing=worst.verdict == LEAK)


def not_probed(table: str, tenancy: str, reason: str, policies) -> list[ProbeResult]:
    """The four commands of a table the probe could not check, with the reason."""
    return [ProbeResult(table, command, NOT_PROBED, reason, tuple(policies(command)), "", tenancy)
            for command in DOING]


def no_privilege(table: str, tenancy: str, command: str, role: str, policies) -> ProbeResult:
    """A command the impersonated role holds no privilege for: nobody's rows are reachable."""
    return ProbeResult(table, command, ISOLATED, f"{role} holds no {command} privilege on the table",
                       tuple(policies), "blocked", tenancy)


def no_rls(table: str, tenancy: str | None, held: frozenset[str], role: str,
           policies: tuple[str, ...]) -> list[ProbeResult]:
    """A table without Row Level Security: whoever holds a privilege reaches every row; a
    failure where the table holds tenants' rows."""
    results = []
    for command, doing in DOING.items():
        granted = command in held
        if not granted:
            detail = f"RLS is disabled, but {role} holds no {command} privilege"
        elif tenancy:
            detail = f"RLS is disabled: every signed-in user can {doing} every tenant's rows"
        else:
            detail = f"RLS is disabled: every signed-in user can {doing} every row (no tenant column found)"
        if policies and granted:
            detail += f"; its policies ({', '.join(policies)}) are not enforced"
        results.append(ProbeResult(table, command, NO_RLS, detail, policies, "", tenancy or "unknown",
                                   failing=granted and tenancy is not None))
    return results
