"""Supabase-compatible auth shim

Roles anon, authenticated and service_role, schema auth with auth.users, and
auth.uid() / auth.jwt() / auth.role() reading request.jwt.claims as Supabase does.
The roles are cluster-wide and stay on downgrade.

Revision ID: bbe37493a34e
Revises: None
Create Date: 2026-11-01 09:00:00 UTC
"""
from alembic import context, op

revision = 'bbe37493a34e'
down_revision = None
branch_labels = None
depends_on = None
DRAFT_FINGERPRINT = 'bbe37493a34e2b0a787def7573c3a812288791938009768ec87cae7d8243064c'

UP_SQL = """
-- Supabase-compatible auth shim for plain PostgreSQL.
--
-- Roles anon, authenticated and service_role, schema auth with auth.users, and the
-- functions auth.uid(), auth.role() and auth.jwt() as Supabase defines them: they read
-- the JWT claims from the setting request.jwt.claims. Impersonate a user with
--   SET LOCAL ROLE authenticated;
--   SELECT set_config('request.jwt.claims', '{"sub": "<uuid>", "role": "authenticated"}', true);
--
-- Idempotent: safe to run again, in several databases of one cluster, and from several
-- sessions at once (roles are cluster-wide; a concurrent creation is tolerated).

DO $roles$
DECLARE
    spec record;
BEGIN
    FOR spec IN
        SELECT * FROM (VALUES
            ('anon', 'NOLOGIN NOINHERIT'),
            ('authenticated', 'NOLOGIN NOINHERIT'),
            ('service_role', 'NOLOGIN NOINHERIT BYPASSRLS')
        ) AS r(name, options)
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = spec.name) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I %s', spec.name, spec.options);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;  -- another session created it meanwhile
            END;
        END IF;
    END LOOP;
END
$roles$;

-- One installer per database at a time (released at commit).
SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('workbench.supabase_shim'));

CREATE SCHEMA IF NOT EXISTS auth;

CREATE TABLE IF NOT EXISTS auth.users (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email               text UNIQUE,
    raw_user_meta_data  jsonb,
    raw_app_meta_data   jsonb,
    created_at          timestamptz DEFAULT now(),
    updated_at          timestamptz DEFAULT now()
);

COMMENT ON TABLE auth.users IS 'Users of the application (Supabase-compatible shim of auth.users).';

CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid
    LANGUAGE sql STABLE
AS $$
  select
    coalesce(
      nullif(current_setting('request.jwt.claim.sub', true), ''),
      (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
    )::uuid
$$;

CREATE OR REPLACE FUNCTION auth.role() RETURNS text
    LANGUAGE sql STABLE
AS $$
  select
    coalesce(
      nullif(current_setting('request.jwt.claim.role', true), ''),
      (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
    )::text
$$;

CREATE OR REPLACE FUNCTION auth.jwt() RETURNS jsonb
    LANGUAGE sql STABLE
AS $$
  select
    coalesce(
      nullif(current_setting('request.jwt.claim', true), ''),
      nullif(current_setting('request.jwt.claims', true), '')
    )::jsonb
$$;

COMMENT ON FUNCTION auth.uid() IS 'The user id (sub claim) of the current request, or NULL.';
COMMENT ON FUNCTION auth.role() IS 'The role claim of the current request, or NULL.';
COMMENT ON FUNCTION auth.jwt() IS 'All JWT claims of the current request as jsonb, or NULL.';

GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION auth.uid(), auth.role(), auth.jwt() TO anon, authenticated, service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON auth.users TO service_role;
"""

DOWN_SQL = """
DROP SCHEMA IF EXISTS auth CASCADE;
"""


def _run(sql: str) -> None:
    if context.is_offline_mode():
        op.get_context().impl.static_output(sql)
    else:
        op.get_bind().connection.driver_connection.execute(sql)


def upgrade() -> None:
    _run(UP_SQL)


def downgrade() -> None:
    _run(DOWN_SQL)
