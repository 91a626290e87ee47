"""Every lint rule on partitioned tables, their partitions and classic inheritance children
(both tiers, real databases).

Schema ``hier`` holds a partitioned ``payments`` (three partitions; foreign keys declared on
the parent and, as public sample schemas do, on each partition), a partitioned ``events``
indexed partition by partition, and inheritance parents ``notes`` and ``logs`` with their
children ``call_notes`` and ``login_logs``. Each rule's exact findings in ``hier`` show what
it does with parents, partitions and children; the rule pages say the same in words.
"""
from __future__ import annotations

import psycopg
import pytest

import workbench
from workbench.drafts import statements
from workbench.drafts.dryrun import dry_run
from workbench.lint import REGISTRY, LintConfig, lint
from workbench.samples import install_shim
from workbench.testing import scratch_database

TIERS = ["pg18", "pg15"]
MY_ORGS = "org_id IN (SELECT hier.my_orgs())"
STAMPS = """created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()"""


def stamped(table: str) -> str:
    """The trigger keeping ``table``'s updated_at current."""
    return (f"CREATE TRIGGER {table}_set_updated_at BEFORE UPDATE ON hier.{table} "
            "FOR EACH ROW EXECUTE FUNCTION hier.set_updated_at();\n")


def protected(table: str, grant: str = "ALL") -> str:
    """Row Level Security on ``table``, the schema's four tenant policies, and a grant."""
    return f"""
    ALTER TABLE hier.{table} ENABLE ROW LEVEL SECURITY;
    CREATE POLICY {table}_select ON hier.{table} FOR SELECT TO authenticated USING ({MY_ORGS});
    CREATE POLICY {table}_insert ON hier.{table} FOR INSERT TO authenticated WITH CHECK ({MY_ORGS});
    CREATE POLICY {table}_update ON hier.{table} FOR UPDATE TO authenticated
        USING ({MY_ORGS}) WITH CHECK ({MY_ORGS});
    CREATE POLICY {table}_delete ON hier.{table} FOR DELETE TO authenticated USING ({MY_ORGS});
    GRANT {grant} ON hier.{table} TO authenticated;
    """


def tenant_table(name: str) -> str:
    """A plain table following every convention of schema hier."""
    return f"""
    CREATE TABLE hier.{name} (
        id bigint PRIMARY KEY,
        org_id bigint NOT NULL REFERENCES hier.orgs ON DELETE CASCADE,
        {STAMPS});
    CREATE INDEX idx_{name}_org_id ON hier.{name} (org_id);
    {stamped(name)}{protected(name)}"""


HIER = f"""
CREATE SCHEMA hier;
GRANT USAGE ON SCHEMA hier TO authenticated;
CREATE FUNCTION hier.set_updated_at() RETURNS trigger LANGUAGE plpgsql SET search_path = ''
    AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE FUNCTION hier.my_orgs() RETURNS SETOF bigint LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = '' AS $$ SELECT 1::bigint $$;

CREATE TABLE hier.orgs (id bigint PRIMARY KEY, name text NOT NULL, {STAMPS});
{stamped("orgs")}
ALTER TABLE hier.orgs ENABLE ROW LEVEL SECURITY;
CREATE POLICY orgs_read_all ON hier.orgs FOR SELECT TO authenticated USING (true);
GRANT SELECT ON hier.orgs TO authenticated;
{tenant_table("customers")}
{tenant_table("staff")}
{tenant_table("rentals")}

-- A partitioned table: org_id and staff_id reference from the parent (the partitions inherit
-- the keys); customer_id and rental_id are referenced from each partition, as in pagila.
CREATE TABLE hier.payments (
    id bigint NOT NULL,
    org_id bigint NOT NULL REFERENCES hier.orgs ON DELETE CASCADE,
    staff_id bigint NOT NULL REFERENCES hier.staff,
    customer_id bigint NOT NULL,
    rental_id bigint,
    paid_at timestamptz NOT NULL,
    {STAMPS},
    PRIMARY KEY (id, paid_at)) PARTITION BY RANGE (paid_at);
CREATE INDEX idx_payments_org_id ON hier.payments (org_id);
CREATE INDEX payments_org_id_dup ON hier.payments (org_id);
CREATE INDEX idx_payments_paid_at ON hier.payments (paid_at);
CREATE INDEX idx_payments_paid_at_customer_id ON hier.payments (paid_at, customer_id);
{stamped("payments")}{protected("payments")}
CREATE TABLE hier.payments_2024 PARTITION OF hier.payments
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE hier.payments_2025 PARTITION OF hier.payments
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE hier."Payments_2026" PARTITION OF hier.payments
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
ALTER TABLE hier.payments_2024 ADD CONSTRAINT payments_2024_customer_id_fkey
    FOREIGN KEY (customer_id) REFERENCES hier.customers ON DELETE CASCADE;
ALTER TABLE hier.payments_2025 ADD CONSTRAINT payments_2025_customer_id_fkey
    FOREIGN KEY (customer_id) REFERENCES hier.customers ON DELETE CASCADE;
ALTER TABLE hier."Payments_2026" ADD CONSTRAINT "Payments_2026_customer_id_fkey"
    FOREIGN KEY (customer_id) REFERENCES hier.customers ON DELETE CASCADE;
ALTER TABLE hier.payments_2024 ADD CONSTRAINT payments_2024_rental_id_fkey
    FOREIGN KEY (rental_id) REFERENCES hier.rentals;
ALTER TABLE hier.payments_2025 ADD CONSTRAINT payments_2025_rental_id_fkey
    FOREIGN KEY (rental_id) REFERENCES hier.rentals;
-- A parent index built ON ONLY the parent, attached on one partition of three: invalid.
CREATE INDEX idx_payments_rental_id ON ONLY hier.payments (rental_id);
CREATE INDEX idx_payments_2024_rental_id ON hier.payments_2024 (rental_id);
ALTER INDEX hier.idx_payments_rental_id ATTACH PARTITION hier.idx_payments_2024_rental_id;
CREATE INDEX payments_2025_id_paid_at ON hier.payments_2025 (id, paid_at);
-- payments_2024: policies of its own, Row Level Security off, no grant.
CREATE POLICY payments_2024_select ON hier.payments_2024 FOR SELECT TO authenticated
    USING (org_id = current_setting('app.org')::bigint);
CREATE POLICY payments_2024_meta ON hier.payments_2024 FOR SELECT TO authenticated
    USING ((auth.jwt() -> 'user_metadata' ->> 'org') = org_id::text);
CREATE POLICY payments_2024_insert_any ON hier.payments_2024 FOR INSERT TO authenticated
    WITH CHECK (true);
CREATE POLICY payments_2024_update ON hier.payments_2024 FOR UPDATE TO authenticated
    USING ({MY_ORGS});
-- payments_2025: granted directly, Row Level Security off.
GRANT SELECT ON hier.payments_2025 TO authenticated;
-- Payments_2026: granted directly, Row Level Security on, a policy for SELECT only.
ALTER TABLE hier."Payments_2026" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Payments_2026_select" ON hier."Payments_2026" FOR SELECT TO authenticated
    USING (customer_id = (SELECT current_setting('app.customer')::bigint));
GRANT SELECT, INSERT ON hier."Payments_2026" TO authenticated;

-- A partitioned table without a key, indexed partition by partition, with no trigger.
CREATE TABLE hier.events (
    org_id bigint NOT NULL REFERENCES hier.orgs ON DELETE CASCADE,
    kind text NOT NULL,
    at timestamptz NOT NULL,
    {STAMPS}) PARTITION BY LIST (kind);
ALTER TABLE hier.events ENABLE ROW LEVEL SECURITY;
CREATE POLICY events_select ON hier.events FOR SELECT TO authenticated USING ({MY_ORGS});
GRANT SELECT ON hier.events TO authenticated;
CREATE TABLE hier.events_click PARTITION OF hier.events FOR VALUES IN ('click');
CREATE TABLE hier.events_view PARTITION OF hier.events FOR VALUES IN ('view');
CREATE INDEX idx_events_click_org_id ON hier.events_click (org_id);
CREATE INDEX idx_events_view_org_id ON hier.events_view (org_id);
CREATE INDEX idx_events_view_org_id_at ON hier.events_view (org_id, at);
ALTER TABLE hier.events_click ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON hier.events_click TO authenticated;

-- Classic inheritance: children take the columns (and CHECK and NOT NULL), nothing else.
CREATE TABLE hier.notes (
    id bigint PRIMARY KEY,
    org_id bigint REFERENCES hier.orgs ON DELETE CASCADE,
    customer_id bigint REFERENCES hier.customers ON DELETE CASCADE,
    body text NOT NULL,
    api_token text,
    "sharedWith" text,
    {STAMPS});
CREATE INDEX idx_notes_org_id ON hier.notes (org_id);
CREATE INDEX idx_notes_customer_id ON hier.notes (customer_id);
{stamped("notes")}{protected("notes")}
CREATE TABLE hier.call_notes (caller_secret text) INHERITS (hier.notes);
ALTER TABLE hier.call_notes ADD CONSTRAINT call_notes_customer_id_fkey
    FOREIGN KEY (customer_id) REFERENCES hier.customers ON DELETE CASCADE;
GRANT SELECT ON hier.call_notes TO authenticated;

CREATE TABLE hier.logs (
    id bigint PRIMARY KEY,
    note bigint NOT NULL REFERENCES hier.notes ON DELETE CASCADE,
    message text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now());
CREATE INDEX idx_logs_note ON hier.logs (note);
CREATE TABLE hier.login_logs (PRIMARY KEY (id)) INHERITS (hier.logs);
ALTER TABLE hier.login_logs ADD CONSTRAINT login_logs_note_fkey
    FOREIGN KEY (note) REFERENCES hier.notes ON DELETE CASCADE;
CREATE INDEX idx_login_logs_note ON hier.login_logs (note);

CREATE VIEW hier.payment_list AS SELECT id, paid_at FROM hier.payments;
CREATE VIEW hier.old_payments AS SELECT id, paid_at FROM hier.payments_2024;
GRANT SELECT ON hier.payment_list, hier.old_payments TO authenticated;
"""


def build(dsn: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        install_shim(conn)
        conn.execute(HIER)


@pytest.fixture(scope="module", params=TIERS)
def hier_db(request):
    """A scratch database with schema hier on each tier, and its snapshot."""
    admin = request.getfixturevalue(request.param)
    with scratch_database(admin, prefix="wb_lint_parts") as dsn:
        build(dsn)
        with workbench.connect(dsn) as session:
            yield session, workbench.inspect(session)


NAMING = ("naming_snake_case", "naming_fk_column_suffix", "naming_index_pattern")


@pytest.fixture(scope="module")
def report(hier_db):
    return lint(hier_db[1], config=LintConfig(enable=NAMING))


def found(report, rule: str) -> set[str]:
    """The objects ``rule`` reported in hier: ``table``, ``table.column`` or ``table name``."""
    return {f.object.split(".", 1)[1] for f in report.where(rule=rule) if f.schema == "hier"}


# The partitions are payments_2024, payments_2025, Payments_2026, events_click and
# events_view; the inheritance children call_notes and login_logs.
EXPECTED = {
    # Row Level Security: a partition or child read directly has its own.
    "rls_disabled": {"payments_2025", "call_notes"},
    "policy_exists_rls_disabled": {"payments_2024"},
    "rls_enabled_no_policy": {"events_click"},
    "rls_missing_command_policy": {"Payments_2026"},
    # Policies are never inherited: each is judged on the table it is defined on.
    "rls_policy_always_true": {"payments_2024 payments_2024_insert_any"},
    "rls_policy_missing_with_check": {"payments_2024 payments_2024_update"},
    "rls_references_user_metadata": {"payments_2024 payments_2024_meta"},
    "auth_rls_initplan": {"payments_2024 payments_2024_select", "payments_2024 payments_2024_meta"},
    "multiple_permissive_policies": {"payments_2024 role authenticated"},
    # events is indexed on org_id partition by partition; Payments_2026 on customer_id nowhere.
    "rls_policy_column_unindexed": {"Payments_2026.customer_id"},
    # A partition's rows are protected by its parent's policies only when read through it.
    "security_definer_view": {"payment_list", "old_payments"},
    # Columns are reported where they are declared; partitions declare none.
    "sensitive_column_plaintext": {"notes.api_token", "call_notes.caller_secret"},
    "unindexed_foreign_key": {
        "payments.customer_id",                               # declared on every partition
        "payments.staff_id payments_staff_id_fkey",           # declared on the parent
        "payments_2025.rental_id payments_2025_rental_id_fkey",  # one partition of two unindexed
        "call_notes.customer_id call_notes_customer_id_fkey",  # keys are not inherited
    },
    "duplicate_index": {"payments payments_org_id_dup", "payments_2025 payments_2025_id_paid_at"},
    "redundant_index": {"payments idx_payments_paid_at", "events_view idx_events_view_org_id"},
    "invalid_index": {"payments idx_payments_rental_id"},
    "no_primary_key": {"events", "call_notes"},
    "missing_tenant_column": {"logs"},
    "tenant_column_nullable": {"notes.org_id"},
    "missing_audit_columns": {"logs"},
    "missing_updated_at_trigger": {"events", "call_notes"},
    "fk_missing_on_delete": {"payments.staff_id payments_staff_id_fkey",
                             "payments_2024.rental_id payments_2024_rental_id_fkey",
                             "payments_2025.rental_id payments_2025_rental_id_fkey"},
    "naming_snake_case": {"Payments_2026", "notes.sharedWith"},
    "naming_fk_column_suffix": {"logs.note logs_note_fkey"},
    "naming_index_pattern": {"payments payments_org_id_dup",
                             "payments_2025 payments_2025_id_paid_at"},
    # Not about tables.
    "security_definer_search_path": set(),
    "extension_in_public": set(),
}


def test_every_rule_has_an_expectation():
    assert set(EXPECTED) | {"unused_index"} == set(REGISTRY.ids)


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_rule_on_parents_partitions_and_children(report, rule):
    assert found(report, rule) == EXPECTED[rule]


def test_every_rule_documents_partitions_and_inheritance():
    missing = [r.id for r in REGISTRY if not r.partitions.strip()]
    assert not missing


def test_catalog_knows_parents_and_attached_indexes(hier_db):
    _, schema = hier_db
    assert schema.table("hier.call_notes").inherits == (("hier", "notes"),)
    assert schema.table("hier.payments_2024").inherits == ()
    attached = {i.name: i.partition_of for i in schema.table("hier.payments_2024").indexes}
    assert attached["idx_payments_2024_rental_id"] == ("hier", "idx_payments_rental_id")
    assert attached["payments_2024_pkey"] == ("hier", "payments_pkey")
    assert all(i.partition_of is None for i in schema.table("hier.payments").indexes)


def test_a_key_declared_on_every_partition_is_indexed_on_the_parent(report):
    (finding,) = [f for f in report.where(rule="unindexed_foreign_key", table="hier.payments")
                  if f.column == "customer_id"]
    assert "each of the 3 partitions" in finding.message
    up = finding.remediation.up
    assert up.startswith("CREATE INDEX payments_customer_id_idx ON ONLY hier.payments")
    assert "CREATE INDEX CONCURRENTLY payments_2025_customer_id_idx ON hier.payments_2025" in up
    assert up.count("ATTACH PARTITION") == 3


def test_partition_drafts_copy_the_parents_policies(report):
    draft = next(iter(report.where(rule="rls_disabled", table="payments_2025"))).remediation
    assert "CREATE POLICY payments_2025_select ON hier.payments_2025" in draft.up
    assert draft.up.count("CREATE POLICY") == 4
    draft = next(iter(report.where(rule="rls_enabled_no_policy"))).remediation
    assert "CREATE POLICY events_click_select ON hier.events_click" in draft.up


def test_drafts_on_parents_partitions_and_children_apply_and_restore(hier_db, report):
    session, _ = hier_db
    for finding in report:
        if finding.remediation is None or finding.remediation.irreversible:
            continue
        result = dry_run(session, finding.remediation)
        assert result.diff, finding
        assert result.restores, (finding, result.summary_text())


def test_invalid_parent_index_is_completed_partition_by_partition(hier_db, report):
    (finding,) = report.where(rule="invalid_index")
    up = finding.remediation.up
    assert "ATTACH PARTITION hier.payments_2025_rental_id_idx" in up
    assert 'ATTACH PARTITION hier."Payments_2026_rental_id_idx"' in up
    assert "payments_2024" not in up
    after = dry_run(hier_db[0], finding.remediation, check_down=False).after
    assert all(i.valid for i in after.table("hier.payments").indexes)


PAGILA = """
CREATE TABLE rental (rental_id integer PRIMARY KEY);
CREATE TABLE payment (
    payment_id integer NOT NULL,
    rental_id integer NOT NULL,
    amount numeric(5,2) NOT NULL,
    payment_date timestamptz NOT NULL,
    PRIMARY KEY (payment_date, payment_id)) PARTITION BY RANGE (payment_date);
"""


def pagila_payments(months: int) -> str:
    """Monthly partitions of payment, each with its own key to rental and no index."""
    sql = PAGILA
    for month in range(1, months + 1):
        name = f"payment_p2022_{month:02d}"
        sql += f"""
        CREATE TABLE {name} PARTITION OF payment
            FOR VALUES FROM ('2022-{month:02d}-01') TO ('2022-{month + 1:02d}-01');
        ALTER TABLE ONLY {name} ADD CONSTRAINT {name}_rental_id_fkey
            FOREIGN KEY (rental_id) REFERENCES rental (rental_id);"""
    return sql


def unindexed_keys(dsn: str):
    with workbench.connect(dsn) as session:
        return lint(workbench.inspect(session), config=LintConfig(),
                    rules=["unindexed_foreign_key"]).findings


def test_keys_declared_on_partitions_are_reported_and_the_fix_works(scratch_dsn):
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        conn.execute(pagila_payments(3))
    (finding,) = unindexed_keys(scratch_dsn)
    assert (finding.table, finding.column) == ("payment", "rental_id")
    assert finding.detail == ("payment_p2022_01_rental_id_fkey, payment_p2022_02_rental_id_fkey, "
                              "payment_p2022_03_rental_id_fkey")
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        for statement in statements(finding.remediation.up):
            conn.execute(statement)
    assert unindexed_keys(scratch_dsn) == ()


def test_keys_on_some_partitions_only_are_reported_per_partition(scratch_dsn):
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        conn.execute(pagila_payments(3))
        conn.execute("CREATE INDEX ON payment_p2022_02 (rental_id)")
    found = unindexed_keys(scratch_dsn)
    assert [(f.table, f.name) for f in found] == [
        ("payment_p2022_01", "payment_p2022_01_rental_id_fkey"),
        ("payment_p2022_03", "payment_p2022_03_rental_id_fkey")]
    assert found[0].remediation.up == ("CREATE INDEX CONCURRENTLY payment_p2022_01_rental_id_idx "
                                       "ON public.payment_p2022_01 (rental_id);")


def test_unused_partition_indexes_roll_up_to_the_parent(scratch_dsn):
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        conn.execute(pagila_payments(2))
        conn.execute("""
            CREATE INDEX payment_amount_idx ON payment (amount);
            CREATE INDEX payment_p2022_01_amount_local ON payment_p2022_01 (amount, payment_id);
            INSERT INTO rental SELECT g FROM generate_series(1, 50) g;
            INSERT INTO payment
                SELECT g, g, g, '2022-01-01'::date + g FROM generate_series(1, 50) g;
            ANALYZE payment;""")
        conn.execute("SELECT count(*) FROM payment").fetchone()
    with workbench.connect(scratch_dsn) as session:
        live = lint(workbench.inspect(session), session, LintConfig(), rules=["unused_index"])
    assert {(f.table, f.name) for f in live} == {
        ("payment", "payment_amount_idx"), ("payment_p2022_01", "payment_p2022_01_amount_local")}
    parent = next(f for f in live if f.table == "payment").remediation
    assert parent.up == "DROP INDEX public.payment_amount_idx;"
    assert parent.down == "CREATE INDEX payment_amount_idx ON public.payment (amount);"
