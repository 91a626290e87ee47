"""The RLS probe without a database: reading policies and CHECKs with pglast, candidate
values, tenancy inference from catalog objects, and the report's renderings."""
from __future__ import annotations

import json

import pytest

from workbench import WorkbenchError
from workbench.catalog import Column, Constraint, EnumType, ForeignKey, Objects, Policy, Schema, Table
from workbench.verify.rls.expr import check_constants, set_columns, uid_columns
from workbench.verify.rls.report import ProbeReport, ProbeResult
from workbench.verify.rls.tenancy import infer_tenancy
from workbench.verify.rls.values import column_candidates, enum_index, type_candidates


# --- policy expressions --------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("(user_id = ( SELECT auth.uid() AS uid))", {"user_id"}),
    ("(auth.uid() = owner)", {"owner"}),
    ("((notes.user_id)::text = (auth.uid())::text)", {"user_id"}),
    ("(author = ((auth.jwt() ->> 'sub'::text))::uuid)", {"author"}),
    ("((user_id = auth.uid()) OR is_public)", {"user_id"}),
    ("true", set()),
    ("(EXISTS ( SELECT 1 FROM members m WHERE m.user_id = auth.uid()))", set()),
])
def test_uid_columns(text, expected):
    assert uid_columns(text, "notes") == expected


@pytest.mark.parametrize("text, expected", [
    ("(org_id IN ( SELECT nursery.user_org_ids() AS user_org_ids))", {"org_id"}),
    ("(team_id = ANY (public.my_team_ids()))", {"team_id"}),
    ("(EXISTS ( SELECT 1 FROM nursery.ipm_observations o WHERE o.id = ipm_treatments.observation_id "
     "AND (o.org_id IN ( SELECT nursery.user_org_ids() AS user_org_ids))))", {"observation_id"}),
    ("(user_id = ( SELECT auth.uid() AS uid))", set()),
])
def test_set_columns(text, expected):
    assert set_columns(text, "ipm_treatments") == expected


@pytest.mark.parametrize("definition, column, expected", [
    ("CHECK (role = ANY (ARRAY['owner'::text, 'admin'::text]))", "role", ["owner", "admin"]),
    ("CHECK (priority >= 1 AND priority <= 4)", "priority", ["1", "4"]),
    ("CHECK (quantity > 0)", "quantity", ["1"]),
    ("CHECK (0 < quantity)", "quantity", ["1"]),
    ("CHECK (severity BETWEEN 1 AND 5)", "severity", ["1", "5"]),
    ("CHECK (kind IN ('a', 'b'))", "kind", ["a", "b"]),
    ("CHECK (slug ~ '^[a-z0-9-]+$'::text)", "slug", []),
    ("CHECK (completed_at IS NULL OR status = 'done'::text)", "status", ["done"]),
    ("CHECK (octet_length(token_hash) = 32) NOT VALID", "token_hash", []),
])
def test_check_constants(definition, column, expected):
    assert check_constants(definition, column) == expected


# --- candidate values ----------------------------------------------------------------------

def test_type_candidates_cover_common_types():
    assert type_candidates("character varying(4)", 12)[0] == "e-12"
    assert type_candidates("numeric(10,2)", 7)[0] == "7"
    assert type_candidates("timestamp with time zone", 1)[0].startswith("2026-01-01")
    assert type_candidates("jsonb", 1) == ["{}", "[]"]
    assert type_candidates("text[]", 1) == ["{}"]
    assert len(type_candidates("bytea", 1)[0]) == 2 + 64
    assert type_candidates("boolean", 1)[0] == "false"


def test_candidates_put_checks_and_enum_labels_first_and_preferred_roles_before_them():
    mood = EnumType("app", "mood", ("calm", "busy"), "me")
    table = Table("app", "t", "table", "me",
                  columns=(Column("role", "text", False), Column("mood", "app.mood", False)),
                  constraints=(Constraint("app", "t", "t_role_check", "check", ("role",),
                                          "CHECK (role = ANY (ARRAY['member'::text, 'admin'::text]))"),))
    enums = enum_index([mood])
    assert column_candidates(table, table.column("role"), enums, 3)[:2] == ["member", "admin"]
    assert column_candidates(table, table.column("role"), enums, 3, ("owner", "admin"))[0] == "admin"
    assert column_candidates(table, table.column("mood"), enums, 3)[:2] == ["calm", "busy"]


# --- tenancy inference ---------------------------------------------------------------------

def fk(table, column, ref_schema, ref_table, ref_column="id", schema="app"):
    return ForeignKey(schema, table, f"{table}_{column}_fkey", columns=(column,), ref_schema=ref_schema,
                      ref_table=ref_table, ref_columns=(ref_column,))


def pk(table, *columns, schema="app"):
    return Constraint(schema, table, f"{table}_pkey", "primary key", columns)


def policy(table, name, using, schema="app"):
    return Policy(schema, table, name, "ALL", roles=("authenticated",), using=using)


AUTH_USERS = Table("auth", "users", "table", "me", columns=(Column("id", "uuid", False),),
                   constraints=(Constraint("auth", "users", "users_pkey", "primary key", ("id",)),))


def schema_of(*tables) -> Schema:
    return Schema("db", "18", 180000, Objects(tables=(AUTH_USERS,) + tables))


def test_org_tenancy_with_names_never_seen():
    squads = Table("app", "squads", "table", "me", columns=(Column("id", "bigint", False),),
                   constraints=(pk("squads", "id"),))
    crew = Table("app", "crew", "table", "me",
                 columns=(Column("squad_id", "bigint", False), Column("member", "uuid", False)),
                 constraints=(fk("crew", "squad_id", "app", "squads"), fk("crew", "member", "auth", "users"),
                              pk("crew", "squad_id", "member")))
    boards = Table("app", "boards", "table", "me",
                   columns=(Column("id", "bigint", False), Column("squad_id", "bigint", False)),
                   constraints=(pk("boards", "id"), fk("boards", "squad_id", "app", "squads")),
                   policies=(policy("boards", "boards_member", "(squad_id IN ( SELECT app.mine() AS mine))"),))
    cards = Table("app", "cards", "table", "me",
                  columns=(Column("id", "bigint", False), Column("board_id", "bigint", False)),
                  constraints=(pk("cards", "id"), fk("cards", "board_id", "app", "boards")))
    tenancy = infer_tenancy(schema_of(squads, crew, boards, cards))
    assert tenancy.tenant == ("app", "squads")
    assert tenancy.membership.table == ("app", "crew")
    assert (tenancy.membership.user_column, tenancy.membership.tenant_column) == ("member", "squad_id")
    assert tenancy.of(("app", "squads")).kind == "tenant"
    assert tenancy.of(("app", "boards")).label() == "squad_id → app.squads"
    assert tenancy.of(("app", "cards")).kind == "parent"
    assert tenancy.of(("app", "cards")).scope == "org"


def test_user_tenancy_from_policies_and_keys():
    profiles = Table("app", "profiles", "table", "me", columns=(Column("id", "uuid", False),),
                     constraints=(pk("profiles", "id"), fk("profiles", "id", "auth", "users")))
    notes = Table("app", "notes", "table", "me",
                  columns=(Column("id", "bigint", False), Column("author", "uuid", False),
                           Column("editor", "uuid", True)),
                  constraints=(pk("notes", "id"), fk("notes", "author", "app", "profiles"),
                               fk("notes", "editor", "auth", "users")),
                  policies=(policy("notes", "notes_own", "(author = ( SELECT auth.uid() AS uid))"),))
    loose = Table("app", "loose", "table", "me", columns=(Column("user_id", "uuid", False),))
    shared = Table("app", "shared", "table", "me", columns=(Column("code", "text", False),))
    tenancy = infer_tenancy(schema_of(profiles, notes, loose, shared))
    assert tenancy.tenant is None and ("app", "profiles") in tenancy.users
    assert tenancy.of(("app", "profiles")).column == "id"
    assert tenancy.of(("app", "notes")).column == "author"
    assert tenancy.of(("app", "loose")).label() == "user_id = auth.uid()"
    assert tenancy.of(("app", "shared")) is None


def test_a_pair_of_keys_without_membership_evidence_is_not_a_membership():
    tasks = Table("app", "tasks", "table", "me", columns=(Column("id", "bigint", False),),
                  constraints=(pk("tasks", "id"),))
    messages = Table("app", "messages", "table", "me",
                     columns=(Column("task_id", "bigint", False), Column("user_id", "uuid", False)),
                     constraints=(fk("messages", "task_id", "app", "tasks"),
                                  fk("messages", "user_id", "auth", "users")))
    assert infer_tenancy(schema_of(tasks, messages)).membership is None


def test_tenancy_needs_auth_users():
    with pytest.raises(WorkbenchError, match="install_shim"):
        infer_tenancy(Schema("db", "18", 180000, Objects()))


# --- the report ----------------------------------------------------------------------------

REPORT = ProbeReport((
    ProbeResult("app.notes", "SELECT", "isolated", "invisible", ("notes_select",), "allowed", "user_id = auth.uid()"),
    ProbeResult("app.notes", "UPDATE", "LEAK", "tenant A can update tenant B's row", ("notes_update",),
                "allowed", "user_id = auth.uid()", failing=True),
    ProbeResult("app.settings", "SELECT", "isolated", "invisible", (), "blocked", "user_id → app.users"),
    ProbeResult("app.prices", "SELECT", "no RLS", "RLS is disabled", (), "", "org_id → app.orgs", failing=True),
    ProbeResult("app.codes", "SELECT", "not probed", "could not create a row", (), "", "user_id = auth.uid()"),
), "db", "user-owned rows")


def test_report_matrix_counts_and_ok():
    assert not REPORT.ok
    assert [r.table for r in REPORT.leaks] == ["app.notes"]
    assert len(REPORT.failures) == 2
    assert list(REPORT.matrix.columns[:4]) == ["table", "command", "verdict", "own"]
    assert REPORT.counts() == {"isolated": 2, "LEAK": 1, "not probed": 1, "no RLS": 1}


def test_report_text_html_and_json():
    text = REPORT.text()
    assert text.splitlines()[0].startswith("RLS probe of db: 4 tables")
    assert "app.notes UPDATE: LEAK: tenant A can update tenant B's row [policy: notes_update]" in text
    assert "isolated/blocked" in text
    html = REPORT._repr_html_()
    assert "#f8c9c4" in html and "app.settings" in html
    data = json.loads(json.dumps(REPORT.to_dict()))
    assert data["ok"] is False and data["failures"][0]["policies"] == ["notes_update"]


def test_require_isolation_names_table_command_and_policy():
    with pytest.raises(WorkbenchError, match=r"app\.notes UPDATE: LEAK.*notes_update"):
        REPORT.require_isolation()
    clean = ProbeReport(REPORT.results[:1], "db")
    assert clean.require_isolation() is clean
