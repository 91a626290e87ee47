"""Types for the application team: a schema snapshot as TypeScript, in the shape of
Supabase's generated ``Database`` type (``Row``/``Insert``/``Update``/``Relationships`` per
table, views, functions, enums).

- :func:`typescript` renders the text; :func:`write_types` writes it to a file;
- :func:`types_status` says whether a file still matches a snapshot (regenerated and compared).
"""
from __future__ import annotations

from .document import typescript
from .files import TypesStatus, generated_schemas, types_status, write_types

LANGUAGES = {"ts": typescript}

__all__ = ["typescript", "write_types", "types_status", "TypesStatus", "generated_schemas",
           "LANGUAGES"]
