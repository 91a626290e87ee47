"""Scope tasks_update_assignee to the member's organizations

The policy checked only the assignee, never the organization, so an assignee could move a task into another organization; and it called auth.uid() once per row. Found by the RLS isolation probe and the auth_rls_initplan advisor.

Approved by: nursery maintainers
Content hash: 20c85ad9101ff52e198f0f8a380522fffcdcb035cf481c571040d7b91fdce7b2

Revision ID: 20c85ad9101f
Revises: 29c01c5d3776
Create Date: 2026-11-25 09:50:01 UTC
"""
from alembic import context, op

revision = '20c85ad9101f'
down_revision = '29c01c5d3776'
branch_labels = None
depends_on = None
DRAFT_FINGERPRINT = '20c85ad9101ff52e198f0f8a380522fffcdcb035cf481c571040d7b91fdce7b2'

UP_SQL = """
DROP POLICY tasks_update_assignee ON nursery.tasks;
CREATE POLICY tasks_update_assignee ON nursery.tasks FOR UPDATE TO authenticated
    USING (assigned_to = (SELECT auth.uid()) AND org_id IN (SELECT nursery.user_org_ids()))
    WITH CHECK (assigned_to = (SELECT auth.uid()) AND org_id IN (SELECT nursery.user_org_ids()));
"""

DOWN_SQL = """
DROP POLICY tasks_update_assignee ON nursery.tasks;
CREATE POLICY tasks_update_assignee ON nursery.tasks FOR UPDATE TO authenticated
    USING (assigned_to = auth.uid())
    WITH CHECK (assigned_to = auth.uid());
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
