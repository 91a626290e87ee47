"""Throwaway databases for proofs and desired schemas, kept in a small pool.

Creating and dropping a database costs about a second; a proof needs three. A database
given back is emptied (its user schemas dropped, ``public`` made anew as the server makes
it, database-wide default privileges reset) and checked against a fingerprint of its catalog
taken when it was fresh; only a database that matches goes back to the pool, any other is
dropped. Pooled databases are dropped when the process ends; those a killed process left
are dropped by the next process that takes one from the server (:mod:`.leftovers`).
"""
from __future__ import annotations

import atexit
import threading
from contextlib import contextmanager
from typing import Iterator

import psycopg
from psycopg import sql

from ..catalog import Schema, inspect
from ..dsn import with_database
from .leftovers import pooled_name, sweep

PREFIX = "wb_scratch_pool"
_lock = threading.Lock()
_free: dict[str, list[str]] = {}
_swept: set[str] = set()


class _Fresh:
    """What a pooled database looked like when it was made: ``public``'s owner, privileges
    and comment, the fingerprint of its catalog, and its snapshot."""

    def __init__(self, public: tuple, fingerprint: tuple, schema: Schema):
        self.public, self.fingerprint, self.schema = public, fingerprint, schema


_fresh: dict[str, _Fresh] = {}

# Everything a migration may leave behind, in one row: the user schemas with their owners,
# privileges and comments, extensions, default privileges, and the user objects of every
# catalog that holds them.
FINGERPRINT = """
SELECT (SELECT array_agg(n.nspname || '/' || pg_get_userbyid(n.nspowner) || '/'
                         || coalesce(n.nspacl::text, '') || '/'
                         || coalesce(obj_description(n.oid, 'pg_namespace'), '') ORDER BY n.nspname)
        FROM pg_namespace n WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'),
       (SELECT array_agg(e.extname || '/' || e.extversion ORDER BY e.extname) FROM pg_extension e),
       (SELECT count(*) FROM pg_default_acl),
       (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')),
       (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')),
       (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')),
       (SELECT count(*) FROM pg_event_trigger), (SELECT count(*) FROM pg_publication),
       (SELECT count(*) FROM pg_foreign_data_wrapper), (SELECT count(*) FROM pg_cast),
       (SELECT count(*) FROM pg_language), (SELECT count(*) FROM pg_largeobject_metadata)
"""


@contextmanager
def fresh_database(admin_dsn: str) -> Iterator[str]:
    """The DSN of an empty database next to ``admin_dsn``, for the time of the block."""
    name = take(admin_dsn)
    dsn = with_database(admin_dsn, name)
    try:
        yield dsn
    finally:
        give_back(admin_dsn, name)


def fresh_snapshot(dsn: str) -> Schema:
    """The snapshot of the pooled database at ``dsn`` as it was when made (an empty
    database's, without inspecting it again)."""
    name = psycopg.conninfo.conninfo_to_dict(dsn)["dbname"]
    return _fresh[name].schema


def take(admin_dsn: str) -> str:
    """A pooled database's name, or a new database's; the first time a process takes one from
    a server, the databases killed processes left there are dropped (:func:`.leftovers.sweep`)."""
    with _lock:
        pool = _free.setdefault(admin_dsn, [])
        if pool:
            return pool.pop()
        first = admin_dsn not in _swept
        _swept.add(admin_dsn)
    if first:
        sweep(admin_dsn, PREFIX)
    name = pooled_name(PREFIX)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    with psycopg.connect(with_database(admin_dsn, name), autocommit=True) as conn:
        public = conn.execute("SELECT pg_get_userbyid(nspowner), nspacl::text, "
                              "obj_description(oid, 'pg_namespace') FROM pg_namespace "
                              "WHERE nspname = 'public'").fetchone()
        _fresh[name] = _Fresh(public, conn.execute(FINGERPRINT).fetchone(), inspect(conn))
    return name


def give_back(admin_dsn: str, name: str) -> None:
    """Empty the database and pool it again, or drop it when it cannot be made fresh."""
    fresh = _fresh[name]
    try:
        with psycopg.connect(with_database(admin_dsn, name), autocommit=True) as conn:
            empty(conn, fresh.public)
            clean = conn.execute(FINGERPRINT).fetchone() == fresh.fingerprint
    except psycopg.Error:
        clean = False
    if clean:
        with _lock:
            _free.setdefault(admin_dsn, []).append(name)
    else:
        _fresh.pop(name, None)
        drop(admin_dsn, name)


def empty(conn, public: tuple) -> None:
    """Drop every user schema and make ``public`` as a new database has it."""
    owner, acl, comment = public
    with conn.transaction():
        schemas = [r[0] for r in conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
            "AND nspname <> 'information_schema'")]
        for schema in schemas:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
        conn.execute(sql.SQL("CREATE SCHEMA public AUTHORIZATION {}").format(sql.Identifier(owner)))
        grants = conn.execute(
            "SELECT CASE WHEN grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(grantee) END, "
            "privilege_type, is_grantable, pg_get_userbyid(grantee) = %s "
            "FROM aclexplode(coalesce(%s::aclitem[], '{}'))", (owner, acl)).fetchall()
        for grantee, privilege, grantable, is_owner in grants:
            if is_owner:
                continue
            role = sql.SQL("PUBLIC") if grantee == "PUBLIC" else sql.Identifier(grantee)
            option = sql.SQL(" WITH GRANT OPTION" if grantable else "")
            conn.execute(sql.SQL("GRANT {} ON SCHEMA public TO {}{}").format(
                sql.SQL(privilege), role, option))
        conn.execute(sql.SQL("COMMENT ON SCHEMA public IS {}").format(sql.Literal(comment)))
        reset_default_privileges(conn)


DEFAULT_PRIVILEGE_WORDS = {"r": "TABLES", "S": "SEQUENCES", "f": "FUNCTIONS", "T": "TYPES",
                           "n": "SCHEMAS"}


def reset_default_privileges(conn) -> None:
    """Give the database-wide default privileges back their built-in values (the entries of
    one schema went with it): revoke everything from everyone named, grant the built-in."""
    rows = conn.execute(
        "SELECT pg_get_userbyid(d.defaclrole), d.defaclobjtype, "
        "ARRAY(SELECT DISTINCT CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee) END "
        "      FROM aclexplode(d.defaclacl) x), "
        "ARRAY(SELECT ARRAY[CASE WHEN b.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(b.grantee) END, "
        "                   b.privilege_type] "
        "      FROM aclexplode(acldefault(CASE d.defaclobjtype WHEN 'S' THEN 's' "
        "                                 ELSE d.defaclobjtype END, d.defaclrole)) b) "
        "FROM pg_default_acl d WHERE d.defaclnamespace = 0").fetchall()
    for role, kind, grantees, builtin in rows:
        prefix = sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} ").format(sql.Identifier(role))
        objects = sql.SQL(DEFAULT_PRIVILEGE_WORDS[kind])
        for grantee in grantees:
            conn.execute(prefix + sql.SQL("REVOKE ALL ON {} FROM {}").format(objects, role_name(grantee)))
        for grantee, privilege in builtin:
            conn.execute(prefix + sql.SQL("GRANT {} ON {} TO {}").format(
                sql.SQL(privilege), objects, role_name(grantee)))


def role_name(name: str) -> sql.Composable:
    """A role (or ``PUBLIC``) as an SQL composable."""
    return sql.SQL("PUBLIC") if name == "PUBLIC" else sql.Identifier(name)


def drop(admin_dsn: str, name: str) -> None:
    """Drop the throwaway database ``name``, even with sessions still on it."""
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@atexit.register
def drop_pooled() -> None:
    """Drop every pooled database (at exit)."""
    with _lock:
        pools = {admin: list(items) for admin, items in _free.items()}
        _free.clear()
    for admin, items in pools.items():
        for name in items:
            try:
                drop(admin, name)
            except psycopg.Error:
                pass  # the server is already gone; its databases with it
