-- Stock reserved for orders never exceeds what a batch has available, and no order line
-- gets more allocated to it than it asks for (released allocations do not count).
-- Returns the offending batches and order lines (none when the invariant holds).
SELECT 'batch' AS kind, b.id, b.batch_code AS name, sum(a.quantity) AS allocated,
       b.quantity_available AS limit_quantity
FROM nursery.batches AS b
JOIN nursery.allocations AS a ON a.batch_id = b.id AND a.status = 'reserved'
GROUP BY b.id
HAVING sum(a.quantity) > b.quantity_available
UNION ALL
SELECT 'order line', i.id, NULL, sum(a.quantity), i.quantity
FROM nursery.order_items AS i
JOIN nursery.allocations AS a ON a.order_item_id = i.id AND a.status <> 'released'
GROUP BY i.id
HAVING sum(a.quantity) > i.quantity;
