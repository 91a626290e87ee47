-- The nursery app's queries, as captured from its logs (values filled in).
-- The first comment line names a query; "calls:" says how often it runs per hour.
-- Used by benchmarks/advise.py, the plans notebook and `workbench advise --demo nursery`.

-- Tenant dashboard: my organisation's open tasks for next week
-- calls: 1200
SELECT id, title, assigned_to, due_date, priority
FROM nursery.tasks
WHERE org_id = 7 AND status = 'open'
  AND due_date BETWEEN DATE '2026-11-01' AND DATE '2026-11-07'
ORDER BY due_date, priority
LIMIT 50;

-- Planning dashboard: next week's open tasks across the business (planted hot query)
-- calls: 300
SELECT id, org_id, title, assigned_to, due_date, priority
FROM nursery.tasks
WHERE status = 'open'
  AND due_date BETWEEN DATE '2026-11-01' AND DATE '2026-11-07'
ORDER BY due_date, priority;

-- Batch activity feed: a tenant's log entries of the last week
-- calls: 900
SELECT id, batch_id, event, quantity_delta, logged_at
FROM nursery.batch_logs
WHERE org_id = 3
  AND logged_at >= TIMESTAMPTZ '2026-10-24 00:00+00' AND logged_at < TIMESTAMPTZ '2026-10-31 00:00+00'
ORDER BY logged_at DESC;

-- Orders page: a tenant's latest orders (top-N by date)
-- calls: 2000
SELECT id, order_number, status, ordered_at, total_amount
FROM nursery.orders
WHERE org_id = 5
ORDER BY ordered_at DESC
LIMIT 20;

-- Pending orders to confirm (a rare status)
-- calls: 600
SELECT id, org_id, order_number, ordered_at
FROM nursery.orders
WHERE status = 'pending'
ORDER BY ordered_at
LIMIT 100;

-- Customer lookup by e-mail, case-insensitive (portal sign-in)
-- calls: 1500
SELECT id, org_id, name, status
FROM nursery.customers
WHERE lower(email) = lower('Orders.7628@WellsLandscapes.example');

-- Log search: notes mentioning frost (substring search)
-- calls: 60
SELECT id, org_id, batch_id, logged_at, note
FROM nursery.batch_logs
WHERE note ILIKE '%frost%';

-- Which orders took stock from this batch? (foreign key join)
-- calls: 400
SELECT o.order_number, o.ordered_at, i.quantity, i.unit_price
FROM nursery.order_items AS i
JOIN nursery.orders AS o ON o.id = i.order_id
WHERE i.batch_id = 17166;

-- Order detail: its lines and what was delivered (foreign key joins)
-- calls: 1800
SELECT i.id, i.variety_id, i.quantity, d.quantity_delivered
FROM nursery.order_items AS i
LEFT JOIN nursery.delivery_items AS d ON d.order_item_id = i.id
WHERE i.order_id = 5203;

-- Overdue invoices of a tenant, oldest first
-- calls: 300
SELECT id, invoice_number, customer_id, due_on, total_amount
FROM nursery.invoices
WHERE org_id = 4 AND status = 'overdue'
ORDER BY due_on;

-- Active customers of a tenant (closed ones are soft-deleted)
-- calls: 800
SELECT id, name, kind, email
FROM nursery.customers
WHERE org_id = 2 AND status <> 'closed'
ORDER BY name;

-- Active plant varieties of a tenant (soft delete flag)
-- calls: 700
SELECT id, sku, common_name, category
FROM nursery.plant_varieties
WHERE org_id = 9 AND is_active
ORDER BY common_name;

-- A grower's open work list
-- calls: 1000
SELECT id, title, due_date, priority, status
FROM nursery.tasks
WHERE assigned_to = 'b5365312-8e0c-b802-110a-059ddab907a8' AND status IN ('open', 'in_progress')
ORDER BY due_date;

-- Stock reserved against a batch
-- calls: 500
SELECT id, order_item_id, quantity
FROM nursery.allocations
WHERE batch_id = 17166 AND status = 'reserved';

-- Deliveries of the day for a tenant's drivers
-- calls: 200
SELECT id, delivery_number, order_id, status, driver_name
FROM nursery.deliveries
WHERE org_id = 2 AND scheduled_for = DATE '2026-11-02';
