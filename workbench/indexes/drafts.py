"""Recommendations become Drafts, through the one index Draft of the builders
(:func:`workbench.drafts.builders.indexes.index_draft`): ``CREATE INDEX CONCURRENTLY`` up,
``DROP INDEX CONCURRENTLY IF EXISTS`` down, named as PostgreSQL names indexes
(``<table>_<keys>_idx``, within 63 bytes) and made unique among the relations of the schema.
"""
from __future__ import annotations

from ..catalog.names import index_name, relation_names
from ..drafts import Draft
from ..drafts.builders.indexes import index_draft as make_index_draft
from ..drafts.builders.ops import CreateIndex, IndexKey
from .model import Candidate, KeyPart


def taken_names(schema, schema_name: str) -> set[str]:
    """Relation names already used in ``schema_name`` (tables, views, indexes, sequences)."""
    return relation_names(schema, schema_name)


def unique_name(candidate: Candidate, taken: set[str]) -> str:
    """The candidate's name, numbered when ``taken`` has it; added to ``taken``."""
    name = index_name(candidate.table, [key.label for key in candidate.keys], taken)
    taken.add(name)
    return name


def index_key(key: KeyPart) -> str | IndexKey:
    """A candidate's key as the builders take it: a column name, or its SQL and label."""
    return key.plain_column or IndexKey(key.render(), key.label)


def create_index(candidate: Candidate, name: str) -> CreateIndex:
    """``candidate`` as the index ``name``, built ``CONCURRENTLY``."""
    method = None if candidate.method == "btree" else candidate.method
    return CreateIndex(candidate.schema, candidate.table, name,
                       tuple(index_key(k) for k in candidate.keys), method=method,
                       where=candidate.predicate, include=candidate.include)


def index_draft(candidate: Candidate, name: str, rationale: str, notes=(),
                extension_installed: bool = True) -> Draft:
    """The Draft that adds ``candidate`` as index ``name`` (and its extension, if missing)."""
    extension = candidate.extension if not extension_installed else None
    return make_index_draft(create_index(candidate, name), rationale=rationale, notes=notes,
                            extension=extension)
