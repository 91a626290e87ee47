-- Every business row belongs to an organization, the same one as the rows it refers to:
-- a line of one tenant's order never points at another tenant's order, batch or variety.
-- Returns the offending rows (none when the invariant holds).
SELECT 'order_items' AS table_name, i.id, i.org_id, 'orders' AS refers_to, o.org_id AS other_org
FROM nursery.order_items AS i JOIN nursery.orders AS o ON o.id = i.order_id
WHERE i.org_id IS DISTINCT FROM o.org_id
UNION ALL
SELECT 'order_items', i.id, i.org_id, 'batches', b.org_id
FROM nursery.order_items AS i JOIN nursery.batches AS b ON b.id = i.batch_id
WHERE i.org_id IS DISTINCT FROM b.org_id
UNION ALL
SELECT 'order_items', i.id, i.org_id, 'plant_varieties', v.org_id
FROM nursery.order_items AS i JOIN nursery.plant_varieties AS v ON v.id = i.variety_id
WHERE i.org_id IS DISTINCT FROM v.org_id
UNION ALL
SELECT 'allocations', a.id, a.org_id, 'order_items', i.org_id
FROM nursery.allocations AS a JOIN nursery.order_items AS i ON i.id = a.order_item_id
WHERE a.org_id IS DISTINCT FROM i.org_id
UNION ALL
SELECT 'allocations', a.id, a.org_id, 'batches', b.org_id
FROM nursery.allocations AS a JOIN nursery.batches AS b ON b.id = a.batch_id
WHERE a.org_id IS DISTINCT FROM b.org_id
UNION ALL
SELECT 'batches', b.id, b.org_id, 'plant_varieties', v.org_id
FROM nursery.batches AS b JOIN nursery.plant_varieties AS v ON v.id = b.variety_id
WHERE b.org_id IS DISTINCT FROM v.org_id
UNION ALL
SELECT 'batches', b.id, b.org_id, 'locations', l.org_id
FROM nursery.batches AS b JOIN nursery.locations AS l ON l.id = b.location_id
WHERE b.org_id IS DISTINCT FROM l.org_id
UNION ALL
SELECT 'orders', o.id, o.org_id, 'customers', c.org_id
FROM nursery.orders AS o JOIN nursery.customers AS c ON c.id = o.customer_id
WHERE o.org_id IS DISTINCT FROM c.org_id
UNION ALL
SELECT 'ipm_treatments', t.id, NULL, 'ipm_observations', NULL
FROM nursery.ipm_treatments AS t
WHERE NOT EXISTS (SELECT 1 FROM nursery.ipm_observations AS o
                  WHERE o.id = t.observation_id AND o.org_id IS NOT NULL);
