"""Drafts: both SQL texts must parse; errors point at the place (no server needed)."""
import pytest

from workbench.drafts import Draft, DraftError, SqlSyntaxError, statements

GOOD_UP = "CREATE INDEX order_items_batch_id_idx ON nursery.order_items (batch_id);"
GOOD_DOWN = "DROP INDEX nursery.order_items_batch_id_idx;"


def test_a_valid_draft_keeps_its_sql():
    draft = Draft("Index order_items.batch_id", GOOD_UP, GOOD_DOWN, rationale="FK without index")
    assert draft.up == GOOD_UP and draft.down == GOOD_DOWN
    assert draft.slug == "index_order_items_batch_id"


def test_invalid_up_sql_is_reported_with_line_and_column():
    up = "CREATE TABLE t (\n  id int,\n  name txet primary,\n)"
    with pytest.raises(SqlSyntaxError) as info:
        Draft("broken", up, "DROP TABLE t")
    error = info.value
    assert (error.position.line, error.position.column) == (3, 20)
    assert "up SQL" in str(error) and "line 3, column 20" in str(error)
    assert "  name txet primary,\n" in str(error) and "^" in str(error)


def test_invalid_down_sql_is_named_as_down():
    with pytest.raises(SqlSyntaxError, match="down SQL"):
        Draft("x", GOOD_UP, "DROP INDEXX foo")


def test_down_sql_is_required_unless_irreversible():
    with pytest.raises(DraftError, match="down SQL is empty"):
        Draft("x", GOOD_UP)
    draft = Draft("x", "DROP TABLE old_stuff", irreversible="data is gone")
    assert draft.irreversible == "data is gone"


def test_empty_title_or_up_is_refused():
    with pytest.raises(DraftError):
        Draft(" ", GOOD_UP, GOOD_DOWN)
    with pytest.raises(DraftError):
        Draft("x", "  ", GOOD_DOWN)


def test_fingerprint_is_stable_and_content_sensitive():
    a = Draft("t", GOOD_UP, GOOD_DOWN)
    assert a.fingerprint == Draft("t", GOOD_UP + "\n", GOOD_DOWN).fingerprint
    assert a.fingerprint != Draft("t", GOOD_UP.replace("batch_id", "order_id"), GOOD_DOWN).fingerprint


def test_statements_are_split_by_the_parser_not_by_semicolons():
    text = 'CREATE TABLE "a;b" (x text DEFAULT $$;$$); -- note; here\nCREATE INDEX ON "a;b" (x);'
    assert statements(text) == ['CREATE TABLE "a;b" (x text DEFAULT $$;$$)', 'CREATE INDEX ON "a;b" (x)']


def test_markdown_display_shows_both_directions():
    text = Draft("t", GOOD_UP, GOOD_DOWN)._repr_markdown_()
    assert GOOD_UP in text and GOOD_DOWN in text
