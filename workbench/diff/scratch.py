"""Throwaway databases for proofs and desired schemas, kept in a small pool.

Creating and dropping a database costs about a second; a proof needs three. A database
given back is emptied (its user schemas dropped, ``public`` made anew as the server makes
it) and checked against the snapshot it had when fresh; only a database that compares equal
goes back to the pool, any other is dropped. Pooled databases are dropped when the process
ends.
"""
from __future__ import annotations

import atexit
import threading
import uuid
from contextlib import contextmanager
from typing import Iterator

import psycopg
from psycopg import sql

from ..catalog import Schema, inspect
from ..dsn import with_database

PREFIX = "wb_scratch_pool"
_lock = threading.Lock()
_free: dict[str, list[tuple[str, Schema]]] = {}


@contextmanager
def fresh_database(admin_dsn: str) -> Iterator[str]:
    """The DSN of an empty database next to ``admin_dsn``, for the time of the block."""
    name, fresh = take(admin_dsn)
    dsn = with_database(admin_dsn, name)
    try:
        yield dsn
    finally:
        give_back(admin_dsn, name, fresh)


def take(admin_dsn: str) -> tuple[str, Schema]:
    with _lock:
        pool = _free.setdefault(admin_dsn, [])
        if pool:
            return pool.pop()
    name = f"{PREFIX}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    with psycopg.connect(with_database(admin_dsn, name), autocommit=True) as conn:
        public = conn.execute("SELECT pg_get_userbyid(nspowner), nspacl::text, "
                              "obj_description(oid, 'pg_namespace') FROM pg_namespace "
                              "WHERE nspname = 'public'").fetchone()
        fresh = inspect(conn)
    _public[name] = public
    return name, fresh


_public: dict[str, tuple] = {}


def give_back(admin_dsn: str, name: str, fresh: Schema) -> None:
    """Empty the database and pool it again, or drop it when it cannot be made fresh."""
    try:
        with psycopg.connect(with_database(admin_dsn, name), autocommit=True) as conn:
            empty(conn, _public[name])
            clean = inspect(conn) == fresh
    except psycopg.Error:
        clean = False
    if clean:
        with _lock:
            _free.setdefault(admin_dsn, []).append((name, fresh))
    else:
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
    return sql.SQL("PUBLIC") if name == "PUBLIC" else sql.Identifier(name)


def drop(admin_dsn: str, name: str) -> None:
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@atexit.register
def drop_pooled() -> None:
    """Drop every pooled database (at exit)."""
    with _lock:
        pools = {admin: list(items) for admin, items in _free.items()}
        _free.clear()
    for admin, items in pools.items():
        for name, _ in items:
            try:
                drop(admin, name)
            except psycopg.Error:
                pass  # the server is already gone; its databases with it
