-- A small seed data set for the schema at head, loaded by `workbench migrations verify`
-- into a fresh database before the invariants (invariants/*.sql) and the RLS probe run.
--
-- Two organizations with a member each (and a second member in the first), so that
-- isolation between tenants can be checked, and one order per organization carried from
-- stock to allocation. Keep it small and keep it in step with the schema: a revision that
-- changes a seeded table updates this file in the same change.

INSERT INTO auth.users (id, email) VALUES
    ('00000000-0000-4000-8000-000000000001', 'alice@green-valley.example'),
    ('00000000-0000-4000-8000-000000000002', 'carol@green-valley.example'),
    ('00000000-0000-4000-8000-000000000003', 'bob@oakridge.example');

INSERT INTO nursery.profiles (id, full_name, display_name) VALUES
    ('00000000-0000-4000-8000-000000000001', 'Alice Green', 'Alice'),
    ('00000000-0000-4000-8000-000000000002', 'Carol Hill', 'Carol'),
    ('00000000-0000-4000-8000-000000000003', 'Bob Oak', 'Bob');

INSERT INTO nursery.organizations (id, name, slug, plan, created_by, updated_by) VALUES
    (1, 'Green Valley Nurseries', 'green-valley', 'grower',
     '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001'),
    (2, 'Oakridge Plants', 'oakridge', 'free',
     '00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000003');

INSERT INTO nursery.org_memberships (id, org_id, user_id, role) VALUES
    (1, 1, '00000000-0000-4000-8000-000000000001', 'owner'),
    (2, 1, '00000000-0000-4000-8000-000000000002', 'grower'),
    (3, 2, '00000000-0000-4000-8000-000000000003', 'owner');

INSERT INTO nursery.plant_varieties (id, org_id, sku, genus, species, cultivar, common_name, category, weeks_to_saleable) VALUES
    (1, 1, 'LAV-HID-P9', 'Lavandula', 'angustifolia', 'Hidcote', 'English lavender', 'shrub', 20),
    (2, 1, 'GER-ROZ-1L', 'Geranium', NULL, 'Rozanne', 'Cranesbill', 'perennial', 16),
    (3, 2, 'ACE-PAL-10L', 'Acer', 'palmatum', NULL, 'Japanese maple', 'tree', 104);

INSERT INTO nursery.locations (id, org_id, parent_id, name, kind, area_m2) VALUES
    (1, 1, NULL, 'Home site', 'site', NULL),
    (2, 1, 1, 'Glasshouse 1', 'greenhouse', 450.00),
    (3, 2, NULL, 'Oakridge yard', 'site', NULL),
    (4, 2, 3, 'Bed A', 'outdoor_bed', 120.00);

INSERT INTO nursery.batches (id, org_id, variety_id, location_id, batch_code, container_size, status,
                             quantity_started, quantity_available, sown_on, ready_on) VALUES
    (1, 1, 1, 2, 'B2603-000001', 'P9', 'ready', 500, 420, DATE '2026-03-02', DATE '2026-07-20'),
    (2, 1, 2, 2, 'B2604-000002', '1L', 'growing', 200, 184, DATE '2026-04-06', DATE '2026-08-01'),
    (3, 2, 3, 4, 'B2401-000001', '10L', 'ready', 40, 31, DATE '2024-01-15', DATE '2026-01-15');

INSERT INTO nursery.customers (id, org_id, name, kind, email, credit_limit) VALUES
    (1, 1, 'Riverside Garden Centre', 'garden_centre', 'orders@riverside.example', 5000.00),
    (2, 2, 'Parks Department', 'council', 'parks@council.example', 20000.00);

INSERT INTO nursery.orders (id, org_id, customer_id, order_number, status, total_amount) VALUES
    (1, 1, 1, 'GV-0001', 'confirmed', 190.00),
    (2, 2, 2, 'OR-0001', 'picking', 1350.00);

INSERT INTO nursery.order_items (id, org_id, order_id, variety_id, batch_id, container_size, quantity, unit_price) VALUES
    (1, 1, 1, 1, 1, 'P9', 40, 3.50),
    (2, 1, 1, 2, 2, '1L', 10, 5.00),
    (3, 2, 2, 3, 3, '10L', 3, 450.00);

INSERT INTO nursery.allocations (id, org_id, order_item_id, batch_id, quantity, status) VALUES
    (1, 1, 1, 1, 40, 'reserved'),
    (2, 1, 2, 2, 10, 'reserved'),
    (3, 2, 3, 3, 3, 'picked');

-- Identity columns were given explicit ids above: move each sequence past them, so rows
-- inserted later (by the RLS probe, say) get fresh ids.
DO $$
DECLARE
    seq record;
BEGIN
    FOR seq IN
        SELECT c.oid::regclass AS tbl, pg_get_serial_sequence(c.oid::regclass::text, a.attname) AS name, a.attname
        FROM pg_class AS c
        JOIN pg_namespace AS n ON n.oid = c.relnamespace
        JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attidentity <> '' AND NOT a.attisdropped
        WHERE n.nspname = 'nursery' AND c.relkind IN ('r', 'p')
    LOOP
        EXECUTE format('SELECT setval(%L, coalesce((SELECT max(%I) FROM %s), 0) + 1, false)',
                       seq.name, seq.attname, seq.tbl);
    END LOOP;
END
$$;
