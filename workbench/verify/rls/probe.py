"""The RLS isolation probe: can one tenant reach another tenant's rows?

In one transaction that is always rolled back, the probe (optionally) applies a Draft,
infers the tenancy from the foreign keys and policies, makes two tenants with a row in every
table it probes (as the connected role, which must bypass RLS), then impersonates each tenant
(``SET LOCAL ROLE authenticated`` and its JWT claims, in a savepoint per attempt) and tries to
read, insert, update and delete the other tenant's rows. Nothing it writes survives.

    report = probe(session)
    report.matrix               # DataFrame: table, command, verdict, own, detail, policies
    report.require_isolation()  # WorkbenchError naming table, command and policy on a leak
"""
from __future__ import annotations

import time
import uuid
from typing import Iterable

import psycopg

from ...catalog import Schema, Table, inspect
from ...errors import WorkbenchError
from ...session import connection_of, rolled_back
from .blame import applicable
from .checks import ROLE, Outcome, Probe, privileges
from .report import COMMANDS, ProbeReport, ProbeResult
from .rows import RowError, RowFactory
from .sql import Tenant
from .tenancy import BASE_KINDS, Tenancy, infer_tenancy
from .verdicts import Direction, combine, no_privilege, no_rls, not_probed

API_ROLES = ("anon", "authenticated", "PUBLIC")
INTERNAL_SCHEMAS = frozenset({
    "auth", "storage", "realtime", "_realtime", "extensions", "graphql", "graphql_public",
    "vault", "pgsodium", "pgsodium_masks", "supabase_functions", "supabase_migrations", "net",
    "cron", "pgbouncer", "_analytics", "information_schema"})

UNKNOWN_OWNER = ("could not tell whose rows these are: no column compared with auth.uid() in its "
                 "policies, no key to a user or tenant table")

__all__ = ["probe", "ProbeReport", "ProbeResult"]


def probe(session, draft=None, tables: Iterable[str] | None = None) -> ProbeReport:
    """Probe tenant isolation on ``session`` (a Session or psycopg connection).

    ``draft`` (a :class:`~workbench.Draft`) is applied first, in the same rolled-back
    transaction; ``tables`` limits the probe to those tables (default: every table of the
    schemas the API roles may use). Everything the probe writes is rolled back.
    """
    conn = connection_of(session)
    started = time.perf_counter()
    with rolled_back(conn):
        check_setup_role(conn)
        if draft is not None:
            apply_draft(conn, draft)
        missing = missing_auth(conn)
        if missing:
            return ProbeReport((), conn.info.dbname, skipped=missing)
        schema = inspect(conn)
        tenancy = infer_tenancy(schema)
        run = Run(conn, schema, tenancy, everything=not tables)
        results = [r for table in target_tables(schema, tables) for r in run.table(table)]
    return ProbeReport(tuple(results), schema.database, tenancy.describe(), time.perf_counter() - started)


def check_setup_role(conn: psycopg.Connection) -> None:
    """The connected role must bypass RLS to make the tenants' rows."""
    found = conn.execute("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user"
                         ).fetchone()
    if not (found and found[0]):
        raise WorkbenchError("the probe must connect as a role that bypasses RLS (a superuser, or "
                             "one with BYPASSRLS) to make the tenants' rows",
                             hint=f"connect as the database owner or postgres, a member of {ROLE}")


def missing_auth(conn: psycopg.Connection) -> str:
    """Why there is nobody to impersonate (no role, ``auth.uid()`` or ``auth.users``), or ''."""
    role, uid, users = conn.execute(
        "SELECT to_regrole(%s) IS NOT NULL, to_regprocedure('auth.uid()') IS NOT NULL, "
        "to_regclass('auth.users') IS NOT NULL", (ROLE,)).fetchone()
    if role and uid and users:
        return ""
    return (f"no role {ROLE}, auth.uid() or auth.users to impersonate tenants with: install the "
            "auth shim (workbench.samples.install_shim) or use a Supabase database")


def apply_draft(conn: psycopg.Connection, draft) -> None:
    """Apply the Draft's up SQL, statement by statement, inside the probe's transaction."""
    from ...drafts.dryrun import apply

    apply(conn, draft.up, f"up SQL of Draft {draft.title!r}")


def exposed_schemas(schema: Schema) -> frozenset[str]:
    """Schemas the API roles (or PUBLIC) may use, but the platform's own."""
    return frozenset(g.schema for g in schema.objects.grants
                     if g.object_type == "schema" and g.privilege == "USAGE"
                     and g.grantee in API_ROLES and g.schema not in INTERNAL_SCHEMAS)


def target_tables(schema: Schema, names: Iterable[str] | None) -> list[Table]:
    """The tables asked for, else every base table of the exposed schemas."""
    if names:
        return [schema.table(name) for name in dict.fromkeys(names)]
    exposed = exposed_schemas(schema)
    return [t for t in schema.objects.tables
            if t.schema in exposed and t.kind in BASE_KINDS and t.partition_of is None]


def policy_names(table: Table):
    """A function giving the names of the policies that apply to a command."""
    return lambda command: tuple(p.name for p in applicable(table, command))


class Run:
    """One probe run: the tenants, the row factory, and each table's checks."""

    def __init__(self, conn: psycopg.Connection, schema: Schema, tenancy: Tenancy,
                 everything: bool = True):
        self.conn, self.schema, self.tenancy = conn, schema, tenancy
        self.everything = everything
        self.factory = RowFactory(conn, schema, tenancy)
        self.tenants = (Tenant("A", str(uuid.uuid4())), Tenant("B", str(uuid.uuid4())))
        self.world_error = self.make_tenants()

    def make_tenants(self) -> str | None:
        """Each tenant's user, and in org-scoped schemas its organization and membership."""
        membership = self.tenancy.membership
        try:
            for tenant in self.tenants:
                self.factory.row(self.tenancy.identity, tenant)
                if membership is not None:
                    self.factory.row(self.tenancy.tenant, tenant)
                    self.factory.row(membership.table, tenant)
        except RowError as exc:
            return f"could not make the two tenants: {exc}"
        return None

    def table(self, table: Table) -> list[ProbeResult]:
        """The four results of one table (none for a table the API cannot reach at all, unless
        it was asked for)."""
        tenancy = self.tenancy.of(table.key)
        label = tenancy.label() if tenancy else "unknown"
        names = policy_names(table)
        held = privileges(self.conn, table)
        if not table.rls_enabled and not held and self.everything:
            return []
        if not table.rls_enabled:
            return no_rls(table.qualname, tenancy and label, held, ROLE,
                          tuple(p.name for p in table.policies))
        try:
            rows = self.tenant_rows(table, tenancy)
        except RowError as exc:
            return not_probed(table.qualname, label, str(exc), names)
        return [self.command(table, tenancy, label, command, rows, held, names) for command in COMMANDS]

    def tenant_rows(self, table: Table, tenancy) -> dict:
        """Each tenant's row in ``table``; RowError says why there are none."""
        if tenancy is None:
            raise RowError(UNKNOWN_OWNER)
        if self.world_error and tenancy.scope == "org":
            raise RowError(self.world_error)
        return {t.name: self.factory.row(table.key, t) for t in self.tenants}

    def command(self, table, tenancy, label, command, rows, held, names) -> ProbeResult:
        """Both directions of one command, combined."""
        if command not in held:
            return no_privilege(table.qualname, label, command, ROLE, names(command))
        directions = []
        for actor, victim in (self.tenants, self.tenants[::-1]):
            probe = Probe(self.conn, table, tenancy.column, tenancy.kind == "tenant",
                          rows[actor.name], rows[victim.name], actor, victim)
            directions.append(self.direction(probe, command))
        return combine(table.qualname, label, command, directions)

    def direction(self, probe: Probe, command: str) -> Direction:
        """The attempts of one command for one ordered pair of tenants."""
        if command == "SELECT":
            return Direction(probe, command, *probe.select())
        if command == "UPDATE":
            return Direction(probe, command, *probe.update())
        if command == "DELETE":
            return Direction(probe, command, *probe.delete())
        return self.insert_direction(probe)

    def insert_direction(self, probe: Probe) -> Direction:
        """INSERT: a fresh row for the other tenant (user references: the actor's), and one
        of the actor's own."""
        key = probe.table.key
        try:
            theirs = None if probe.root else self.factory.fresh_values(key, probe.victim, probe.actor)
            mine = self.factory.fresh_values(key, probe.actor, probe.actor)
        except RowError as exc:
            error = Outcome("error", message=str(exc))
            return Direction(probe, "INSERT", {"insert": error}, error)
        return Direction(probe, "INSERT", *probe.insert(theirs, mine), values=theirs)
