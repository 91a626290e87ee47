"""Hostile identifiers (quotes, spaces, unicode, reserved words, 63-byte names): every drafted
fix parses and applies in a dry run that restores the schema; and lint never writes."""
from __future__ import annotations

import psycopg
import pytest

import workbench
from workbench.catalog.names import qualified, quote_ident
from workbench.drafts import check_sql
from workbench.drafts.dryrun import dry_run
from workbench.lint import LintConfig, lint
from workbench.samples import install_shim

S = 'Wé"ird schema'
TENANT = "tenant key"
LONG = "ß" * 31 + "x"  # 63 bytes
RULE_IDS_EXPECTED = {
    "rls_disabled", "policy_exists_rls_disabled", "rls_enabled_no_policy",
    "rls_missing_command_policy", "rls_policy_always_true", "rls_policy_missing_with_check",
    "rls_references_user_metadata", "security_definer_search_path", "security_definer_view",
    "sensitive_column_plaintext", "extension_in_public", "unindexed_foreign_key",
    "duplicate_index", "redundant_index", "no_primary_key", "auth_rls_initplan",
    "multiple_permissive_policies", "rls_policy_column_unindexed", "missing_tenant_column",
    "tenant_column_nullable", "missing_audit_columns", "missing_updated_at_trigger",
    "fk_missing_on_delete", "naming_snake_case", "naming_fk_column_suffix", "naming_index_pattern",
}
CONFIG = LintConfig(tenant_columns=(TENANT,), enable=("naming_snake_case", "naming_fk_column_suffix",
                                                      "naming_index_pattern"))


def q(name: str) -> str:
    return qualified(S, name)


def t(name: str) -> str:
    return quote_ident(name)


CHILD = 'child "c"'
OWN_ROW = 'own "row"'
CHECK = f"{t(TENANT)} = (SELECT current_setting('app.tenant')::bigint)"


def scoped_table(name: str, extra: str = "", *, rls: bool = True, policies: bool = True) -> str:
    """A tenant table with the schema's usual four policies."""
    sql = f"""CREATE TABLE {q(name)} ("Íd" bigint PRIMARY KEY,
        {t(TENANT)} bigint NOT NULL REFERENCES {q("Tënants")} ON DELETE CASCADE, {extra}
        "created_at" timestamptz NOT NULL DEFAULT now());
        CREATE INDEX ON {q(name)} ({t(TENANT)});\n"""
    if rls:
        sql += f"ALTER TABLE {q(name)} ENABLE ROW LEVEL SECURITY;\n"
    if policies:
        for command, clause in (("SELECT", "USING"), ("INSERT", "WITH CHECK"),
                                ("UPDATE", "USING"), ("DELETE", "USING")):
            policy = f"{name}_{command.lower()} ü" if len(name.encode()) < 40 else f"p {command}"
            sql += (f"CREATE POLICY {t(policy)} ON {q(name)} "
                    f"FOR {command} TO authenticated {clause} ({CHECK})"
                    + (f" WITH CHECK ({CHECK})" if command == "UPDATE" else "") + ";\n")
    return sql


HOSTILE = f"""
CREATE SCHEMA {t(S)};
GRANT USAGE ON SCHEMA {t(S)} TO authenticated;
CREATE TABLE {q("Tënants")} (id bigint PRIMARY KEY, "created_at" timestamptz NOT NULL DEFAULT now());
INSERT INTO {q("Tënants")} VALUES (1);
{scoped_table('Tab "quoted" ü')}
{scoped_table(LONG, f'"ref" bigint REFERENCES {q("Tënants")} ON DELETE CASCADE,')}
{scoped_table('Ötro "t"')}
{scoped_table('select', '"Api_Key" text, "user" uuid, "updated_at" timestamptz,', rls=False, policies=False)}
ALTER TABLE {q("select")} ALTER COLUMN {t(TENANT)} DROP NOT NULL;
ALTER TABLE {q("select")} DROP CONSTRAINT {t("select_tenant key_fkey")};
ALTER TABLE {q("select")} ADD FOREIGN KEY ({t(TENANT)}) REFERENCES {q("Tënants")};
DROP INDEX {q("select_tenant key_idx")};
{scoped_table('Lock "ed"', policies=False)}
{scoped_table('pol only', rls=False, policies=False)}
CREATE POLICY "p ü" ON {q("pol only")} FOR SELECT TO authenticated USING ({CHECK});
{scoped_table('Ünïcode', '"owner" uuid,', policies=False)}
CREATE POLICY {t(OWN_ROW)} ON {q("Ünïcode")} FOR SELECT TO authenticated USING ("owner" = auth.uid());
CREATE POLICY "meta" ON {q("Ünïcode")} FOR SELECT TO authenticated
    USING ((auth.jwt() -> 'user_metadata' ->> 'tenant') = {t(TENANT)}::text);
CREATE POLICY "ins" ON {q("Ünïcode")} FOR INSERT TO authenticated WITH CHECK ({CHECK});
CREATE POLICY "upd all" ON {q("Ünïcode")} FOR UPDATE TO authenticated USING (true);
CREATE POLICY "upd nocheck" ON {q("Ünïcode")} FOR UPDATE TO authenticated USING ({CHECK});
CREATE TABLE {q(CHILD)} ("Íd" bigint PRIMARY KEY,
    "parent id" bigint NOT NULL REFERENCES {q('Tab "quoted" ü')} ON DELETE CASCADE);
CREATE INDEX ON {q(CHILD)} ("parent id");
CREATE TABLE {q("no pk")} ({t(TENANT)} bigint NOT NULL, id bigint, "created_at" timestamptz);
CREATE TABLE {q("no pk 2")} ({t(TENANT)} bigint NOT NULL, "välue" text, "created_at" timestamptz);
CREATE INDEX "dup 1" ON {q("no pk")} ({t(TENANT)});
CREATE INDEX "dup 2" ON {q("no pk")} ({t(TENANT)});
CREATE INDEX "wide" ON {q("no pk 2")} ({t(TENANT)}, "välue");
CREATE INDEX "narrow" ON {q("no pk 2")} ({t(TENANT)});
CREATE FUNCTION {q('fün "c"')}(integer, text) RETURNS integer LANGUAGE sql SECURITY DEFINER
    AS $$ SELECT 1 $$;
CREATE VIEW {q('vïew "x"')} AS SELECT "Íd" FROM {q('Tab "quoted" ü')};
GRANT ALL ON ALL TABLES IN SCHEMA {t(S)} TO authenticated;
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
"""


@pytest.fixture
def hostile(scratch_dsn):
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        install_shim(conn)
        conn.execute(HOSTILE)
    with workbench.connect(scratch_dsn) as session:
        yield session


def test_every_draft_parses_applies_and_restores(hostile):
    report = lint(workbench.inspect(hostile), hostile, CONFIG)
    assert {f.rule for f in report} >= RULE_IDS_EXPECTED
    drafts = [f for f in report if f.remediation is not None]
    assert len(drafts) > 40
    for finding in drafts:
        draft = finding.remediation
        check_sql(draft.up), check_sql(draft.down)
        result = dry_run(hostile, draft)
        assert result.diff, (finding, draft.up)
        assert result.restores, (finding, draft.up, result.summary_text())


def test_new_names_fit_in_63_bytes(hostile):
    report = lint(workbench.inspect(hostile), config=CONFIG,
                  rules=["unindexed_foreign_key", "rls_disabled"])
    index = next(f for f in report if f.rule == "unindexed_foreign_key" and f.table == LONG)
    name = LONG.encode()[:59].decode(errors="ignore") + "_idx"
    assert f"CREATE INDEX CONCURRENTLY {t(name)} ON {q(LONG)} (ref);" == index.remediation.up
    added = dry_run(hostile, index.remediation).diff.added
    assert [c.name for c in added] == [f"{S}.{LONG}.{name}"]
    policies = next(f for f in report if f.rule == "rls_disabled" and f.table == "select")
    assert policies.remediation.up.count("CREATE POLICY") == 4
    assert 'CREATE POLICY "select_update ü"' in policies.remediation.up


def _fingerprint(session) -> tuple:
    rows = session.conn.execute(f"SELECT count(*) FROM {q('Tënants')}").fetchone()
    return workbench.inspect(session), rows


def test_lint_only_reads(hostile):
    before = _fingerprint(hostile)
    with workbench.connect(hostile.dsn) as session:
        session.conn.execute("SET default_transaction_read_only = on")
        lint(workbench.inspect(session), session, CONFIG)  # a write would fail here
    lint(workbench.inspect(hostile), hostile, CONFIG)
    assert _fingerprint(hostile) == before
