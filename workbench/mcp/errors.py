"""Workbench errors as MCP errors: a tool error (or a resource error) whose text is the
workbench's what / where / what-to-do message, passwords masked; never a traceback.

The wrappers also run one call at a time on the server's database session."""
from __future__ import annotations

import functools

import anyio.to_thread
import psycopg
from mcp.server.mcpserver.exceptions import ResourceError, ToolError

from ..dsn import scrub
from ..errors import WorkbenchError


def message_of(exc: Exception, dsn: str | None) -> str:
    """The text an agent reads for ``exc``: the workbench's message, or PostgreSQL's first line."""
    if isinstance(exc, WorkbenchError):
        return scrub(exc.message, dsn)
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return scrub(f"PostgreSQL refused: {first}", dsn)


def run_guarded(state, fn, args, kwargs, error_type):
    """Call ``fn`` holding the state's lock; expected failures become ``error_type``."""
    with state.lock:
        try:
            return fn(*args, **kwargs)
        except (WorkbenchError, psycopg.Error) as exc:
            if isinstance(exc, psycopg.OperationalError) or state.session.conn.closed:
                reconnect(state.session)
            raise error_type(message_of(exc, state.dsn)) from None


def reconnect(session) -> None:
    """A fresh connection for the next call, when the server can be reached again."""
    try:
        session.reconnect()
    except WorkbenchError:
        pass  # the next call says that the server cannot be reached


def tool(state):
    """Decorator for a tool function: one call at a time, errors as tool errors."""
    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            return run_guarded(state, fn, args, kwargs, ToolError)
        return wrapper
    return decorate


def resource(state):
    """Decorator for a resource function: run in a worker thread, one call at a time,
    errors as resource errors."""
    def decorate(fn):
        @functools.wraps(fn)
        async def wrapper(*args, **kwargs):
            return await anyio.to_thread.run_sync(
                functools.partial(run_guarded, state, fn, args, kwargs, ResourceError))
        return wrapper
    return decorate
