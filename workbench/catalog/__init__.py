"""The catalog station: an immutable ``Schema`` snapshot of a database, its DataFrames, and diffs."""
from __future__ import annotations

from .diff import Change, SchemaDiff, diff
from .model import (Column, Constraint, DefaultPrivilege, EnumType, Extension, ForeignKey, Function,
                    Grant, Index, Namespace, Policy, Sequence, Table, Trigger, View)
from .objects import Objects
from .schema import Schema
from .snapshot import inspect

__all__ = ["inspect", "diff", "Schema", "Objects", "SchemaDiff", "Change", "Namespace", "Table",
           "Column", "Constraint", "ForeignKey", "Index", "Policy", "Trigger", "View", "Sequence",
           "EnumType", "Function", "Extension", "Grant", "DefaultPrivilege"]
