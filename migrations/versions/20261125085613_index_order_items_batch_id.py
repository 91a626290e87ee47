"""Index order_items.batch_id

The foreign key order_items.batch_id has no index: joins from batches and deletes of batches scan all order items.

Revision ID: 9dac82915ff5
Revises: f5532a3d1b33
Create Date: 2026-11-25 08:56:13 UTC
"""
from alembic import context, op

revision = '9dac82915ff5'
down_revision = 'f5532a3d1b33'
branch_labels = None
depends_on = None
DRAFT_FINGERPRINT = '9dac82915ff5056fb5349bb47353e793f067005b1b0efa13d8e17f95dd262937'

UP_SQL = """
CREATE INDEX CONCURRENTLY order_items_batch_id_idx ON nursery.order_items (batch_id);
"""

DOWN_SQL = """
DROP INDEX CONCURRENTLY nursery.order_items_batch_id_idx;
"""


def _run(sql: str) -> None:
    if context.is_offline_mode():
        op.get_context().impl.static_output(sql)
    else:
        op.get_bind().connection.driver_connection.execute(sql)


def upgrade() -> None:
    # CONCURRENTLY cannot run inside a transaction: the statements of UP_SQL
    # run one by one, each committing on its own
    with op.get_context().autocommit_block():
        for statement in (
            'CREATE INDEX CONCURRENTLY order_items_batch_id_idx ON nursery.order_items (batch_id)',
        ):
            _run(statement)


def downgrade() -> None:
    # CONCURRENTLY cannot run inside a transaction: the statements of DOWN_SQL
    # run one by one, each committing on its own
    with op.get_context().autocommit_block():
        for statement in (
            'DROP INDEX CONCURRENTLY nursery.order_items_batch_id_idx',
        ):
            _run(statement)
