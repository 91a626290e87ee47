"""The design problems planted in the demo databases, for advisors to find.

Everything else in the demos follows the conventions (see ``PLANTED.md``), so each entry
here is the one place its rule should fire. ``object`` is ``schema.table`` or
``schema.table.column``; ``detail`` names the policy or indexes involved, and ``query`` holds
the hot query for ``hot_query_unindexed``.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Planted:
    """One planted problem: where it is and which advisor rule should report it."""

    id: str
    database: str
    object: str
    rule: str
    kind: str  # table, column, policy, index or query
    summary: str
    detail: tuple[str, ...] = ()
    query: str | None = None

    @property
    def schema(self) -> str:
        return self.object.split(".")[0]

    @property
    def table(self) -> str:
        return self.object.split(".")[1]

    @property
    def column(self) -> str | None:
        parts = self.object.split(".")
        return parts[2] if len(parts) > 2 else None

    def as_dict(self) -> dict:
        return asdict(self)


HOT_TASKS_QUERY = """\
SELECT id, org_id, title, assigned_to, due_date, priority
FROM nursery.tasks
WHERE status = 'open'
  AND due_date BETWEEN DATE '2026-11-01' AND DATE '2026-11-07'
ORDER BY due_date, priority"""

PLANTED: list[Planted] = [
    Planted("P01", "nursery", "nursery.order_items.batch_id", "unindexed_foreign_key", "column",
            "foreign key order_items.batch_id → batches has no index (1M+ rows)",
            detail=("order_items_batch_id_fkey",)),
    Planted("P02", "nursery", "nursery.price_lists", "rls_disabled", "table",
            "business table with Row Level Security disabled: every tenant reads every price"),
    Planted("P03", "nursery", "nursery.tasks", "auth_rls_initplan", "policy",
            "policy calls auth.uid() per row instead of (select auth.uid()) once",
            detail=("tasks_update_assignee",)),
    Planted("P04", "nursery", "nursery.ipm_treatments", "missing_tenant_column", "table",
            "business table without org_id: tenancy only through a join to ipm_observations"),
    Planted("P05", "nursery", "nursery.invoices", "missing_updated_at_trigger", "table",
            "has an updated_at column but no trigger keeps it current"),
    Planted("P06", "nursery", "nursery.orders", "duplicate_index", "index",
            "two identical indexes on orders (customer_id)",
            detail=("orders_customer_id_idx", "orders_customer_idx")),
    Planted("P07", "nursery", "nursery.customers.portal_password", "sensitive_column_plaintext", "column",
            "customer portal passwords stored as plain text"),
    Planted("P08", "nursery", "nursery.tasks", "hot_query_unindexed", "query",
            "the daily work-list query filters 1M tasks by status and due date with no index",
            detail=("status", "due_date"), query=HOT_TASKS_QUERY),
    Planted("P09", "agent", "agent.settings", "rls_enabled_no_policy", "table",
            "Row Level Security enabled but no policy: signed-in users see no settings at all"),
    Planted("P10", "agent", "agent.connectors.webhook_secret", "sensitive_column_plaintext", "column",
            "webhook signing secrets stored as plain text"),
    Planted("P11", "agent", "agent.task_messages.user_id", "unindexed_foreign_key", "column",
            "foreign key task_messages.user_id → users has no index, and every RLS check filters on it",
            detail=("task_messages_user_id_fkey",)),
]


def planted_in(database: str) -> list[Planted]:
    """The planted problems of one demo database."""
    return [p for p in PLANTED if p.database == database]
