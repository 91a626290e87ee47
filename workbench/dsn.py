"""Connection strings: read them from the environment and show them without passwords."""
from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

from psycopg.conninfo import conninfo_to_dict, make_conninfo

MASK = "***"
ENV_VAR = "WORKBENCH_DSN"


def dsn_from_env() -> str | None:
    """The DSN in ``WORKBENCH_DSN``, or None when unset or empty."""
    return os.environ.get(ENV_VAR) or None


def mask_dsn(dsn: str) -> str:
    """``dsn`` with any password replaced by ``***`` (URI and key=value forms)."""
    if "://" in dsn:
        return _mask_uri(dsn)
    try:
        params = conninfo_to_dict(dsn)
    except Exception:
        return "<unparsable DSN hidden>"
    if "password" in params:
        params["password"] = MASK
    return make_conninfo(**params)


def _mask_uri(dsn: str) -> str:
    parts = urlsplit(dsn)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        if ":" in userinfo:
            user = userinfo.split(":", 1)[0]
            userinfo = f"{user}:{MASK}" if userinfo.split(":", 1)[1] else user
        netloc = f"{userinfo}@{host}"
    query = "&".join(
        f"password={MASK}" if q.lower().startswith("password=") else q
        for q in parts.query.split("&")
    ) if parts.query else parts.query
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def scrub(text: str, dsn: str | None) -> str:
    """``text`` with the password of ``dsn`` removed wherever it appears."""
    password = password_of(dsn) if dsn else None
    return text.replace(password, MASK) if password else text


def password_of(dsn: str) -> str | None:
    """The password written in ``dsn``, if any."""
    try:
        return conninfo_to_dict(dsn).get("password") or None
    except Exception:
        return None


def with_database(dsn: str, database: str) -> str:
    """``dsn`` pointed at another database on the same server."""
    params = conninfo_to_dict(dsn)
    params["dbname"] = database
    return make_conninfo(**params)
