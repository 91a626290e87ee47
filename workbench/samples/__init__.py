"""Demo databases and the Supabase-compatible ``auth`` shim.

- :func:`ensure_demo` builds a demo database (``nursery`` or ``agent``) when missing and
  returns its DSN; :func:`build_demos` does it for several.
- :func:`install_shim` installs roles ``anon``/``authenticated``/``service_role``, schema
  ``auth`` and ``auth.uid()``/``auth.role()``/``auth.jwt()`` into any database.
- :func:`demo_workload` is the path of a demo's app queries, for the index advice.
- :data:`PLANTED` lists the design problems planted in the demos (see ``PLANTED.md``).
"""
from __future__ import annotations

from .build import build_demos, ensure_demo
from .demos import DEMOS, demo_workload, get_demo
from .planted import PLANTED, Planted, planted_in
from .shim import install_shim

__all__ = ["DEMOS", "PLANTED", "Planted", "build_demos", "demo_workload", "ensure_demo", "get_demo",
           "install_shim", "planted_in"]
