"""Row Level Security on price_lists

price_lists had RLS disabled: every signed-in user could read and change every organization's prices. The policies follow the other business tables.

Approved by: nursery maintainers
Content hash: 29c01c5d37764f130268c4178f581e152f3e156dda4adf9d42b68485f5ff988f

Revision ID: 29c01c5d3776
Revises: 9dac82915ff5
Create Date: 2026-11-25 09:50:00 UTC
"""
from alembic import context, op

revision = '29c01c5d3776'
down_revision = '9dac82915ff5'
branch_labels = None
depends_on = None
DRAFT_FINGERPRINT = '29c01c5d37764f130268c4178f581e152f3e156dda4adf9d42b68485f5ff988f'

UP_SQL = """
ALTER TABLE nursery.price_lists ENABLE ROW LEVEL SECURITY;
CREATE POLICY price_lists_select_member ON nursery.price_lists FOR SELECT TO authenticated
    USING (org_id IN (SELECT nursery.user_org_ids()));
CREATE POLICY price_lists_insert_member ON nursery.price_lists FOR INSERT TO authenticated
    WITH CHECK (org_id IN (SELECT nursery.user_org_ids()));
CREATE POLICY price_lists_update_member ON nursery.price_lists FOR UPDATE TO authenticated
    USING (org_id IN (SELECT nursery.user_org_ids()))
    WITH CHECK (org_id IN (SELECT nursery.user_org_ids()));
CREATE POLICY price_lists_delete_member ON nursery.price_lists FOR DELETE TO authenticated
    USING (org_id IN (SELECT nursery.user_org_ids()));
"""

DOWN_SQL = """
DROP POLICY price_lists_delete_member ON nursery.price_lists;
DROP POLICY price_lists_update_member ON nursery.price_lists;
DROP POLICY price_lists_insert_member ON nursery.price_lists;
DROP POLICY price_lists_select_member ON nursery.price_lists;
ALTER TABLE nursery.price_lists DISABLE ROW LEVEL SECURITY;
"""


def _run(sql: str) -> None:
    if context.is_offline_mode():
        op.get_context().impl.static_output(sql)
    else:
        op.get_bind().connection.driver_connection.execute(sql)


def upgrade() -> None:
    _run(UP_SQL)


def downgrade() -> None:
    _run(DOWN_SQL)
