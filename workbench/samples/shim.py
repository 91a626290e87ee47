"""The Supabase-compatible ``auth`` shim: roles, schema ``auth``, ``auth.uid()`` and friends."""
from __future__ import annotations

from ..session import connection_of
from .sqlfiles import read_sql

SHIM_FILE = "supabase_shim.sql"

# On Supabase (or wherever another role owns the auth functions) the real thing is there.
AUTH_OWNED_BY_OTHERS = """
SELECT p.proowner <> (SELECT r.oid FROM pg_roles AS r WHERE r.rolname = current_user)
FROM pg_proc AS p
WHERE p.oid = to_regprocedure('auth.uid()')
"""


def install_shim(conn) -> None:
    """Install the shim into the database of ``conn`` (a psycopg connection or a Session).

    Creates the roles ``anon``, ``authenticated`` and ``service_role`` when missing, the
    schema ``auth`` with ``auth.users``, and ``auth.uid()``, ``auth.role()``, ``auth.jwt()``
    reading ``request.jwt.claims``, as Supabase defines them. Idempotent; runs in one
    transaction. Leaves alone an ``auth`` schema whose functions another role owns
    (a real Supabase database).
    """
    conn = connection_of(conn)
    row = conn.execute(AUTH_OWNED_BY_OTHERS).fetchone()
    if row and row[0]:
        return
    with conn.transaction():
        conn.execute(read_sql(SHIM_FILE))
