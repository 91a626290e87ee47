-- Data for the nursery demo, generated on the server (needs gen_hash.sql and gen_common.sql in the session).
--
-- Steps are marked "-- step: NAME" and run in order, each in its own transaction.
-- Tenants are skewed: organization 1 is the biggest, then sizes fall off as 1/rank^1.3,
-- so a few organizations hold most rows and many small ones hold a few each.
-- Each organization's rows of a table get a contiguous range of ids (table gen_range), so a
-- row can pick a related row of the same organization by arithmetic instead of a lookup.

-- step: plan
CREATE TEMP TABLE gen_org AS
SELECT o::bigint AS org_id,
       (1.0 / power(o, 1.3)) / sum(1.0 / power(o, 1.3)) OVER () AS share,
       (ARRAY['Green Valley', 'Oakridge', 'Willow Brook', 'Hillside', 'Riverbend', 'Meadowsweet',
              'Foxglove', 'Thornbury', 'Ashgrove', 'Bluebell', 'Highfield', 'Larkspur'])[1 + (o - 1) % 12]
       || ' ' ||
       (ARRAY['Nurseries', 'Plants', 'Growers', 'Horticulture', 'Plant Centre', 'Nursery Co'])[1 + ((o - 1) / 12) % 6]
       || CASE WHEN o > 72 THEN ' ' || ((o - 1) / 72 + 1)::text ELSE '' END AS name
FROM generate_series(1, greatest(6, round(60 * cbrt(pg_temp.scale()))::integer)) AS o;

ALTER TABLE gen_org ADD COLUMN slug text;
UPDATE gen_org SET slug = trim(both '-' from lower(regexp_replace(name, '[^A-Za-z0-9]+', '-', 'g')));

-- Rows per organization: base * scale * share, at least min_n.
CREATE TEMP TABLE gen_range AS
SELECT t.tbl, g.org_id, c.n, (sum(c.n) OVER (PARTITION BY t.tbl ORDER BY g.org_id) - c.n + 1)::bigint AS first_id
FROM (VALUES ('profiles', 2400, 2), ('plant_varieties', 12000, 8), ('locations', 1500, 4),
             ('batches', 150000, 20), ('transplants', 60000, 2), ('customers', 15000, 5),
             ('orders', 260000, 10), ('ipm_observations', 80000, 3), ('tasks', 1000000, 20))
     AS t(tbl, base, min_n)
CROSS JOIN gen_org AS g
CROSS JOIN LATERAL (SELECT greatest(t.min_n, round(t.base * pg_temp.scale() * g.share))::bigint AS n) AS c;
CREATE UNIQUE INDEX ON gen_range (tbl, org_id);

-- The people: profile number p, their home organization and their rank there (0 = owner).
CREATE TEMP TABLE gen_actor AS
SELECT g.p, r.org_id, g.p - r.first_id AS rank,
       md5('nursery-user-' || g.p::text)::uuid AS user_id,
       pg_temp.word(pg_temp.first_names(), g.p, 1) AS first_name,
       pg_temp.word(pg_temp.last_names(), g.p, 2) AS last_name,
       pg_temp.at(DATE '2023-11-01' - pg_temp.pick(g.p, 3, 300)::integer, g.p, 4) AS created_at
FROM gen_range AS r
CROSS JOIN LATERAL generate_series(r.first_id, r.first_id + r.n - 1) AS g(p)
WHERE r.tbl = 'profiles';
CREATE UNIQUE INDEX ON gen_actor (p);
ANALYZE gen_org;
ANALYZE gen_range;
ANALYZE gen_actor;

-- step: users
INSERT INTO auth.users (id, email, raw_user_meta_data, raw_app_meta_data, created_at, updated_at)
SELECT a.user_id,
       lower(a.first_name || '.' || a.last_name) || a.p::text || '@' || o.slug || '.example',
       jsonb_build_object('full_name', a.first_name || ' ' || a.last_name),
       '{"provider": "email", "providers": ["email"]}'::jsonb,
       a.created_at, a.created_at
FROM gen_actor AS a
JOIN gen_org AS o USING (org_id);

INSERT INTO nursery.profiles (id, full_name, display_name, phone, avatar_url, locale, created_at, updated_at)
SELECT a.user_id, a.first_name || ' ' || a.last_name, a.first_name,
       CASE WHEN pg_temp.u(a.p, 5) < 0.7
            THEN '+44 7' || lpad(pg_temp.pick(a.p, 6, 1000000000)::text, 9, '0') END,
       NULL, 'en-GB', a.created_at, a.created_at
FROM gen_actor AS a;

-- step: organizations
INSERT INTO nursery.organizations (id, name, slug, plan, country_code, currency, timezone,
                                   created_at, updated_at, created_by, updated_by)
SELECT g.org_id, g.name, g.slug,
       CASE WHEN g.org_id <= 5 THEN 'enterprise'
            ELSE pg_temp.weighted(ARRAY['free', 'grower', 'enterprise'], ARRAY[0.35, 0.95], g.org_id, 11) END,
       'GB', 'GBP', 'Europe/London',
       owner.created_at, owner.created_at, owner.user_id, owner.user_id
FROM gen_org AS g
JOIN gen_actor AS owner ON owner.org_id = g.org_id AND owner.rank = 0;

-- step: org_memberships
INSERT INTO nursery.org_memberships (id, org_id, user_id, role, created_at, updated_at, created_by, updated_by)
SELECT a.p, a.org_id, a.user_id,
       CASE a.rank WHEN 0 THEN 'owner' WHEN 1 THEN 'admin'
            ELSE pg_temp.weighted(ARRAY['admin', 'manager', 'grower', 'sales', 'viewer'],
                                  ARRAY[0.04, 0.14, 0.62, 0.85], a.p, 12) END,
       a.created_at, a.created_at, owner.user_id, owner.user_id
FROM gen_actor AS a
JOIN gen_actor AS owner ON owner.org_id = a.org_id AND owner.rank = 0;

-- A few consultants also see a second organization, as viewers.
INSERT INTO nursery.org_memberships (id, org_id, user_id, role, created_at, updated_at, created_by, updated_by)
SELECT m.max_p + a.p, x.other_org, a.user_id, 'viewer',
       a.created_at + interval '30 days', a.created_at + interval '30 days', owner.user_id, owner.user_id
FROM gen_actor AS a
CROSS JOIN (SELECT max(p) AS max_p, (SELECT count(*) FROM gen_org) AS n_org FROM gen_actor) AS m
CROSS JOIN LATERAL (SELECT 1 + (a.org_id + pg_temp.pick(a.p, 14, m.n_org - 1)) % m.n_org AS other_org) AS x
JOIN gen_actor AS owner ON owner.org_id = x.other_org AND owner.rank = 0
WHERE a.rank > 1 AND pg_temp.u(a.p, 13) < 0.04;

-- step: plant_varieties
CREATE TEMP TABLE gen_plant (k integer PRIMARY KEY, genus text, species text, common_name text,
                             category text, weeks integer, base_price numeric);
INSERT INTO gen_plant VALUES
    (0, 'Lavandula', 'angustifolia', 'English lavender', 'perennial', 20, 4.50),
    (1, 'Salvia', 'nemorosa', 'Woodland sage', 'perennial', 16, 4.20),
    (2, 'Geranium', 'wallichianum', 'Cranesbill', 'perennial', 18, 4.80),
    (3, 'Hebe', 'pinguifolia', 'Hebe', 'shrub', 30, 6.50),
    (4, 'Buxus', 'sempervirens', 'Box', 'shrub', 60, 9.00),
    (5, 'Acer', 'palmatum', 'Japanese maple', 'tree', 104, 29.00),
    (6, 'Betula', 'pendula', 'Silver birch', 'tree', 78, 19.50),
    (7, 'Rosa', 'rugosa', 'Rugosa rose', 'shrub', 40, 8.50),
    (8, 'Hydrangea', 'macrophylla', 'Bigleaf hydrangea', 'shrub', 36, 9.50),
    (9, 'Miscanthus', 'sinensis', 'Chinese silver grass', 'grass', 26, 7.00),
    (10, 'Festuca', 'glauca', 'Blue fescue', 'grass', 14, 3.80),
    (11, 'Dryopteris', 'filix-mas', 'Male fern', 'fern', 30, 6.00),
    (12, 'Polystichum', 'setiferum', 'Soft shield fern', 'fern', 32, 6.80),
    (13, 'Thymus', 'vulgaris', 'Thyme', 'herb', 10, 2.90),
    (14, 'Salvia', 'rosmarinus', 'Rosemary', 'herb', 18, 3.90),
    (15, 'Echeveria', 'elegans', 'Mexican snowball', 'succulent', 24, 4.40),
    (16, 'Hylotelephium', 'spectabile', 'Ice plant', 'succulent', 16, 4.10),
    (17, 'Petunia', 'x hybrida', 'Petunia', 'annual', 8, 1.60),
    (18, 'Pelargonium', 'zonale', 'Zonal geranium', 'annual', 10, 2.20),
    (19, 'Malus', 'domestica', 'Apple', 'tree', 104, 24.00),
    (20, 'Prunus', 'avium', 'Wild cherry', 'tree', 90, 21.00),
    (21, 'Viburnum', 'tinus', 'Laurustinus', 'shrub', 44, 8.90),
    (22, 'Pittosporum', 'tenuifolium', 'Kohuhu', 'shrub', 40, 9.20),
    (23, 'Nepeta', 'x faassenii', 'Catmint', 'perennial', 14, 4.00),
    (24, 'Echinacea', 'purpurea', 'Coneflower', 'perennial', 22, 5.20),
    (25, 'Digitalis', 'purpurea', 'Foxglove', 'perennial', 20, 3.70),
    (26, 'Heuchera', 'micrantha', 'Coral bells', 'perennial', 20, 5.90),
    (27, 'Carex', 'testacea', 'Orange sedge', 'grass', 18, 4.60),
    (28, 'Ilex', 'aquifolium', 'Holly', 'shrub', 70, 12.50),
    (29, 'Taxus', 'baccata', 'Yew', 'tree', 96, 18.00);

INSERT INTO nursery.plant_varieties (id, org_id, sku, genus, species, cultivar, common_name, category,
                                     weeks_to_saleable, is_active, created_at, updated_at, created_by, updated_by)
SELECT g.id, r.org_id,
       upper(left(p.genus, 3)) || '-' || lpad((g.id - r.first_id + 1)::text, 5, '0'),
       p.genus, p.species, x.cultivar,
       p.common_name || coalesce(' ''' || x.cultivar || '''', ''),
       p.category, p.weeks, pg_temp.u(g.id, 24) > 0.06,
       x.created_at, x.created_at, a.user_id, a.user_id
FROM gen_range AS r
CROSS JOIN LATERAL generate_series(r.first_id, r.first_id + r.n - 1) AS g(id)
JOIN gen_plant AS p ON p.k = pg_temp.pick(g.id, 21, 30)
CROSS JOIN LATERAL (SELECT
       CASE WHEN pg_temp.u(g.id, 22) < 0.85 THEN pg_temp.word(ARRAY['Hidcote', 'Munstead', 'Blue Ice',
           'Compacta', 'Gold Edge', 'Royal Velvet', 'Summer Snow', 'Red Robin', 'Little Lime',
           'Silver Queen', 'Magnus', 'Purple Rain', 'Karl Foerster', 'Elijah Blue', 'Annabelle',
           'Bloodgood', 'Autumn Joy', 'Caramel', 'Pink Perfection', 'Sunburst'], g.id, 23) END AS cultivar,
       pg_temp.at(DATE '2023-11-01' + pg_temp.pick(g.id, 25, 200)::integer, g.id, 26) AS created_at) AS x
JOIN gen_range AS rp ON rp.tbl = 'profiles' AND rp.org_id = r.org_id
JOIN gen_actor AS a ON a.p = rp.first_id + pg_temp.pick(g.id, 27, least(rp.n, 3))
WHERE r.tbl = 'plant_varieties';

-- step: locations
INSERT INTO nursery.locations (id, org_id, parent_id, name, kind, area_m2, is_active,
                               created_at, updated_at, created_by, updated_by)
SELECT g.id, r.org_id,
       CASE WHEN g.id = r.first_id THEN NULL ELSE r.first_id END,
       CASE WHEN g.id = r.first_id THEN o.name || ' main site'
            ELSE initcap(replace(x.kind, '_', ' ')) || ' ' || (g.id - r.first_id)::text END,
       x.kind,
       CASE WHEN g.id = r.first_id THEN 20000 + pg_temp.pick(g.id, 32, 80000)
            ELSE 80 + pg_temp.pick(g.id, 32, 2400) END,
       pg_temp.u(g.id, 33) > 0.04,
       DATE '2023-11-01' - 300 + make_interval(hours => 9) + make_interval(days => pg_temp.pick(g.id, 34, 250)::integer),
       DATE '2023-11-01' - 300 + make_interval(hours => 9) + make_interval(days => pg_temp.pick(g.id, 34, 250)::integer),
       owner.user_id, owner.user_id
FROM gen_range AS r
JOIN gen_org AS o USING (org_id)
CROSS JOIN LATERAL generate_series(r.first_id, r.first_id + r.n - 1) AS g(id)
CROSS JOIN LATERAL (SELECT CASE WHEN g.id = r.first_id THEN 'site'
       ELSE pg_temp.weighted(ARRAY['greenhouse', 'polytunnel', 'outdoor_bed', 'cold_store', 'propagation'],
                             ARRAY[0.25, 0.55, 0.85, 0.90], g.id, 31) END AS kind) AS x
JOIN gen_actor AS owner ON owner.org_id = r.org_id AND owner.rank = 0
WHERE r.tbl = 'locations';

-- step: batches
-- (OFFSET 0 keeps each derived table from being merged into the outer query, so every
-- generated value is computed once per row however often the outer query uses it.)
INSERT INTO nursery.batches (id, org_id, variety_id, location_id, batch_code, container_size, status,
                             quantity_started, quantity_available, sown_on, ready_on, notes,
                             created_at, updated_at, created_by, updated_by)
SELECT b.id, b.org_id, b.variety_id, b.location_id,
       'B' || to_char(b.sown_on, 'YYMM') || '-' || lpad((b.id - b.first_id + 1)::text, 6, '0'),
       b.container_size, b.status, b.quantity_started,
       CASE WHEN b.status IN ('sold_out', 'discarded') THEN 0
            WHEN b.status IN ('propagating', 'growing') THEN (b.quantity_started * 0.92)::integer
            ELSE floor(b.quantity_started * pg_temp.u(b.id, 47))::integer END,
       b.sown_on, b.ready_on,
       CASE WHEN pg_temp.u(b.id, 48) < 0.08 THEN pg_temp.word(ARRAY['Slow to root, keep warm',
           'Check for vine weevil', 'Reserved for landscape contract', 'Overwintered under fleece',
           'Mixed colours', 'Trial batch: peat-free compost', 'Label again before dispatch'], b.id, 49) END,
       b.created_at, least(b.created_at + make_interval(days => (b.ready_on - b.sown_on) / 2), pg_temp.snapshot()),
       b.user_id, b.user_id
FROM (
    SELECT x.*, CASE
           WHEN x.ready_on > pg_temp.today() THEN
                CASE WHEN pg_temp.today() - x.sown_on < 28 THEN 'propagating' ELSE 'growing' END
           WHEN pg_temp.today() - x.ready_on < 120 THEN
                pg_temp.weighted(ARRAY['ready', 'on_hold', 'sold_out', 'discarded'], ARRAY[0.70, 0.78, 0.98], x.id, 50)
           ELSE pg_temp.weighted(ARRAY['sold_out', 'discarded', 'ready'], ARRAY[0.85, 0.97], x.id, 50)
           END AS status
    FROM (
        SELECT d.*, d.sown_on + (7 * (6 + pg_temp.pick(d.id, 45, 40)))::integer AS ready_on,
               pg_temp.at(d.sown_on, d.id, 46) AS created_at
        FROM (
            SELECT g.id, r.org_id, r.first_id,
                   vr.first_id + floor(power(pg_temp.u(g.id, 41), 1.6) * vr.n)::bigint AS variety_id,
                   lr.first_id + 1 + pg_temp.pick(g.id, 42, lr.n - 1) AS location_id,
                   pg_temp.weighted(ARRAY['plug', 'P9', '1L', '2L', '3L', '5L', '10L', '20L'],
                                    ARRAY[0.12, 0.40, 0.58, 0.72, 0.84, 0.93, 0.98], g.id, 43) AS container_size,
                   (10 + pg_temp.pick(g.id, 44, 60)) * 20 AS quantity_started,
                   pg_temp.nth_day(g.id - r.first_id, r.n, 40) AS sown_on,
                   a.user_id
            FROM gen_range AS r
            CROSS JOIN LATERAL generate_series(r.first_id, r.first_id + r.n - 1) AS g(id)
            JOIN gen_range AS vr ON vr.tbl = 'plant_varieties' AND vr.org_id = r.org_id
            JOIN gen_range AS lr ON lr.tbl = 'locations' AND lr.org_id = r.org_id
            JOIN gen_range AS rp ON rp.tbl = 'profiles' AND rp.org_id = r.org_id
            JOIN gen_actor AS a ON a.p = rp.first_id + pg_temp.pick(g.id, 39, rp.n)
            WHERE r.tbl = 'batches'
            OFFSET 0
        ) AS d
        OFFSET 0
    ) AS x
    OFFSET 0
) AS b;

-- step: batch_logs
INSERT INTO nursery.batch_logs (id, org_id, batch_id, event, quantity_delta, note, logged_at,
                                created_at, updated_at, created_by, updated_by)
SELECT l.id, l.org_id, l.batch_id, l.event,
       CASE l.event WHEN 'loss' THEN -(1 + pg_temp.pick(l.n, 53, 25))::integer
                    WHEN 'counted' THEN (pg_temp.pick(l.n, 54, 11) - 5)::integer
                    ELSE 0 END,
       CASE WHEN pg_temp.u(l.n, 55) < 0.06 THEN pg_temp.word(ARRAY['Leaves yellowing on edges',
           'Moved to make space for new stock', 'Liquid feed 1:100', 'Some wind damage',
           'Spaced to 3 per square', 'Counted for stocktake', 'Lost to frost'], l.n, 56) END,
       l.logged_at, l.logged_at, l.logged_at, a.user_id, a.user_id
FROM (
    SELECT b.log_offset + k.k AS id, b.org_id, b.id AS batch_id, b.id * 16 + k.k AS n,
           CASE WHEN k.k = 1 THEN 'counted' ELSE
                pg_temp.weighted(ARRAY['watered', 'fed', 'spaced', 'inspected', 'moved', 'pruned', 'counted', 'loss', 'potted_on'],
                                 ARRAY[0.30, 0.45, 0.55, 0.70, 0.75, 0.83, 0.90, 0.95], b.id * 16 + k.k, 52) END AS event,
           pg_temp.at(b.sown_on + ((k.k - 1) * b.span / b.c), b.id * 16 + k.k, 57) AS logged_at
    FROM (
        SELECT x.*, sum(x.c) OVER (ORDER BY x.id) - x.c AS log_offset
        FROM (SELECT id, org_id, sown_on,
                     greatest(least(ready_on + 60, pg_temp.today()) - sown_on, 1) AS span,
                     (3 + pg_temp.pick(id, 51, 12))::integer AS c
              FROM nursery.batches) AS x
    ) AS b
    CROSS JOIN LATERAL generate_series(1, b.c) AS k(k)
    OFFSET 0
) AS l
JOIN gen_range AS rp ON rp.tbl = 'profiles' AND rp.org_id = l.org_id
JOIN gen_actor AS a ON a.p = rp.first_id + pg_temp.pick(l.n, 58, rp.n);

-- step: transplants
INSERT INTO nursery.transplants (id, org_id, from_batch_id, to_batch_id, to_location_id, quantity,
                                 transplanted_on, created_at, updated_at, created_by, updated_by)
SELECT g.id, r.org_id,
       br.first_id + x.from_i,
       br.first_id + (x.from_i + 1 + pg_temp.pick(g.id, 62, br.n - 1)) % br.n,
       lr.first_id + 1 + pg_temp.pick(g.id, 63, lr.n - 1),
       (1 + pg_temp.pick(g.id, 64, 20)) * 10,
       x.d, pg_temp.at(x.d, g.id, 65), pg_temp.at(x.d, g.id, 65), a.user_id, a.user_id
FROM gen_range AS r
CROSS JOIN LATERAL generate_series(r.first_id, r.first_id + r.n - 1) AS g(id)
JOIN gen_range AS br ON br.tbl = 'batches' AND br.org_id = r.org_id
JOIN gen_range AS lr ON lr.tbl = 'locations' AND lr.org_id = r.org_id
JOIN gen_range AS rp ON rp.tbl = 'profiles' AND rp.org_id = r.org_id
JOIN gen_actor AS a ON a.p = rp.first_id + pg_temp.pick(g.id, 66, rp.n)
CROSS JOIN LATERAL (SELECT pg_temp.pick(g.id, 61, br.n) AS from_i, pg_temp.nth_day(g.id - r.first_id, r.n, 60) AS d) AS x
WHERE r.tbl = 'transplants';

-- step: customers
INSERT INTO nursery.customers (id, org_id, name, kind, email, phone, billing_address, credit_limit,
                               payment_terms_days, status, portal_username, portal_password,
                               created_at, updated_at, created_by, updated_by)
SELECT c.id, c.org_id, c.name, c.kind,
       'orders.' || c.id::text || '@' || lower(regexp_replace(c.name, '[^A-Za-z]+', '', 'g')) || '.example',
       '+44 1' || lpad(pg_temp.pick(c.id, 74, 1000000000)::text, 9, '0'),
       (1 + pg_temp.pick(c.id, 75, 180))::text || ' ' || pg_temp.word(ARRAY['High Street', 'Station Road',
           'Church Lane', 'Mill Lane', 'Park Road', 'London Road', 'Green Lane', 'Manor Way'], c.id, 76)
           || ', ' || c.town,
       (CASE c.kind WHEN 'wholesale' THEN 20 WHEN 'council' THEN 40 WHEN 'garden_centre' THEN 10 ELSE 3 END
           * (1 + pg_temp.pick(c.id, 77, 5)) * 500)::numeric(12,2),
       CASE c.kind WHEN 'council' THEN 60 WHEN 'retail' THEN 0 ELSE 30 END,
       pg_temp.weighted(ARRAY['active', 'on_hold', 'closed'], ARRAY[0.88, 0.95], c.id, 78),
       CASE WHEN c.portal THEN 'orders.' || c.id::text END,
       CASE WHEN c.portal THEN pg_temp.word(ARRAY['Spring', 'Garden', 'Tulip', 'Rose', 'Nursery',
           'Welcome', 'Summer', 'Green', 'Plants', 'Daisy'], c.id, 79)
           || (2019 + pg_temp.pick(c.id, 80, 7))::text || pg_temp.word(ARRAY['!', '', '#', '123', '*'], c.id, 81) END,
       c.created_at, least(c.created_at + make_interval(days => pg_temp.pick(c.id, 82, 300)::integer), pg_temp.snapshot()),
       c.user_id, c.user_id
FROM (
    SELECT g.id, r.org_id, x.kind, x.town,
           x.town || ' ' || CASE x.kind WHEN 'garden_centre' THEN 'Garden Centre'
                                        WHEN 'landscaper' THEN 'Landscapes'
                                        WHEN 'retail' THEN 'Plant Shop'
                                        WHEN 'wholesale' THEN 'Wholesale Plants'
                                        ELSE 'Borough Council' END
               || CASE WHEN pg_temp.u(g.id, 73) < 0.5 THEN ' ' || (g.id - r.first_id + 1)::text ELSE '' END AS name,
           pg_temp.u(g.id, 83) < 0.6 AS portal,
           pg_temp.at(DATE '2023-11-01' + pg_temp.pick(g.id, 84, 900)::integer, g.id, 85) AS created_at,
           a.user_id
    FROM gen_range AS r
    CROSS JOIN LATERAL generate_series(r.first_id, r.first_id + r.n - 1) AS g(id)
    CROSS JOIN LATERAL (SELECT
           pg_temp.weighted(ARRAY['garden_centre', 'landscaper', 'retail', 'wholesale', 'council'],
                            ARRAY[0.35, 0.65, 0.75, 0.90], g.id, 71) AS kind,
           pg_temp.word(ARRAY['Ashford', 'Bakewell', 'Chipping Norton', 'Dorking', 'Epsom', 'Frome',
               'Guildford', 'Harrogate', 'Ilkley', 'Kendal', 'Ludlow', 'Malvern', 'Newbury', 'Oakham',
               'Petersfield', 'Romsey', 'Stamford', 'Tetbury', 'Uckfield', 'Wells', 'Whitby', 'York'],
               g.id, 72) AS town) AS x
    JOIN gen_range AS rp ON rp.tbl = 'profiles' AND rp.org_id = r.org_id
    JOIN gen_actor AS a ON a.p = rp.first_id + pg_temp.pick(g.id, 86, rp.n)
    WHERE r.tbl = 'customers'
) AS c;

-- step: customer_contacts
INSERT INTO nursery.customer_contacts (id, org_id, customer_id, full_name, email, phone, job_title,
                                       is_primary, created_at, updated_at, created_by, updated_by)
SELECT c.offs + k.k, c.org_id, c.id,
       n.first_name || ' ' || n.last_name,
       lower(n.first_name || '.' || n.last_name) || '@' || split_part(c.email, '@', 2),
       '+44 7' || lpad(pg_temp.pick(c.id * 8 + k.k, 93, 1000000000)::text, 9, '0'),
       pg_temp.word(ARRAY['Buyer', 'Owner', 'Accounts', 'Site manager', 'Head gardener', 'Procurement'],
                    c.id * 8 + k.k, 94),
       k.k = 1, c.created_at, c.created_at, c.created_by, c.created_by
FROM (SELECT x.*, sum(x.c) OVER (ORDER BY x.id) - x.c AS offs
      FROM (SELECT id, org_id, email, created_at, created_by, (1 + pg_temp.pick(id, 91, 3))::integer AS c
            FROM nursery.customers) AS x) AS c
CROSS JOIN LATERAL generate_series(1, c.c) AS k(k)
CROSS JOIN LATERAL (SELECT pg_temp.word(pg_temp.first_names(), c.id * 8 + k.k, 95) AS first_name,
                           pg_temp.word(pg_temp.last_names(), c.id * 8 + k.k, 96) AS last_name) AS n;

-- step: price_lists
INSERT INTO nursery.price_lists (id, org_id, variety_id, container_size, customer_kind, unit_price,
                                 valid_from, valid_to, created_at, updated_at, created_by, updated_by)
SELECT v.offs + k.k, v.org_id, v.id, s.size,
       CASE WHEN pg_temp.u(v.id * 8 + k.k, 102) < 0.15 THEN 'wholesale' END,
       round(p.base_price * s.factor * (0.85 + 0.3 * pg_temp.u(v.id * 8 + k.k, 103))::numeric, 2),
       DATE '2025-01-01', NULL,
       v.created_at, v.created_at, v.created_by, v.created_by
FROM (SELECT x.*, sum(x.c) OVER (ORDER BY x.id) - x.c AS offs
      FROM (SELECT id, org_id, created_at, created_by, (1 + pg_temp.pick(id, 101, 4))::integer AS c
            FROM nursery.plant_varieties) AS x) AS v
CROSS JOIN LATERAL generate_series(1, v.c) AS k(k)
JOIN gen_plant AS p ON p.k = pg_temp.pick(v.id, 21, 30)  -- the plant the variety was made from
CROSS JOIN LATERAL (SELECT (ARRAY['P9', '1L', '2L', '3L'])[k.k] AS size,
                           (ARRAY[0.6, 1.0, 1.6, 2.3])[k.k] AS factor) AS s;

-- step: orders
-- Items of order o are numbered o * 16 + k (k = 1..item_count); their quantities and prices
-- are functions of that number, so the order total is known before the items are written.
CREATE FUNCTION pg_temp.item_count(order_id bigint) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (1 + pg_temp.pick(order_id, 111, 8))::integer $$;

CREATE FUNCTION pg_temp.item_quantity(item bigint) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (ARRAY[1, 3, 5, 6, 10, 12, 20, 24, 50, 100])[1 + pg_temp.pick(item, 112, 10)::integer] $$;

CREATE FUNCTION pg_temp.item_price(item bigint) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT round((1.5 + power(pg_temp.u(item, 113), 2) * 38)::numeric, 2) $$;

INSERT INTO nursery.orders (id, org_id, customer_id, order_number, status, ordered_at,
                            requested_delivery_date, total_amount, notes,
                            created_at, updated_at, created_by, updated_by)
SELECT o.id, o.org_id, o.customer_id,
       'SO-' || to_char(o.d, 'YYYY') || '-' || lpad((o.id - o.first_id + 1)::text, 6, '0'),
       o.status::nursery.order_status, o.ordered_at,
       o.d + (1 + pg_temp.pick(o.id, 124, 21))::integer,
       (SELECT sum(pg_temp.item_quantity(o.id * 16 + k) * pg_temp.item_price(o.id * 16 + k))
        FROM generate_series(1, pg_temp.item_count(o.id)) AS k),
       CASE WHEN pg_temp.u(o.id, 125) < 0.05 THEN pg_temp.word(ARRAY['Deliver to the back gate',
           'Call before delivery', 'Part of the spring planting scheme', 'Please label each tray',
           'Invoice to head office'], o.id, 126) END,
       o.ordered_at,
       least(o.ordered_at + CASE WHEN o.status IN ('draft', 'pending') THEN interval '0'
                                 ELSE make_interval(hours => (2 + pg_temp.pick(o.id, 127, 200))::integer) END,
             pg_temp.snapshot()),
       o.user_id, o.user_id
FROM (
    SELECT x.*, pg_temp.at(x.d, x.id, 121) AS ordered_at, CASE
           WHEN pg_temp.today() - x.d > 45 THEN
                pg_temp.weighted(ARRAY['delivered', 'cancelled'], ARRAY[0.96], x.id, 123)
           WHEN pg_temp.today() - x.d > 14 THEN
                pg_temp.weighted(ARRAY['delivered', 'cancelled', 'pending'], ARRAY[0.94, 0.99], x.id, 123)
           WHEN pg_temp.today() - x.d > 3 THEN
                pg_temp.weighted(ARRAY['confirmed', 'picking', 'dispatched', 'delivered', 'cancelled'],
                                 ARRAY[0.15, 0.30, 0.50, 0.95], x.id, 123)
           ELSE pg_temp.weighted(ARRAY['draft', 'pending', 'confirmed', 'cancelled'], ARRAY[0.25, 0.70, 0.95], x.id, 123)
           END AS status
    FROM (
        SELECT g.id, r.org_id, r.first_id, pg_temp.nth_day(g.id - r.first_id, r.n, 120) AS d,
               cr.first_id + floor(power(pg_temp.u(g.id, 122), 2) * cr.n)::bigint AS customer_id,
               a.user_id
        FROM gen_range AS r
        CROSS JOIN LATERAL generate_series(r.first_id, r.first_id + r.n - 1) AS g(id)
        JOIN gen_range AS cr ON cr.tbl = 'customers' AND cr.org_id = r.org_id
        JOIN gen_range AS rp ON rp.tbl = 'profiles' AND rp.org_id = r.org_id
        JOIN gen_actor AS a ON a.p = rp.first_id + pg_temp.pick(g.id, 128, rp.n)
        WHERE r.tbl = 'orders'
        OFFSET 0
    ) AS x
    OFFSET 0
) AS o;

-- step: order_items
INSERT INTO nursery.order_items (id, org_id, order_id, variety_id, batch_id, container_size, quantity,
                                 unit_price, created_at, updated_at, created_by, updated_by)
SELECT o.offs + k.k, o.org_id, o.id, b.variety_id,
       CASE WHEN o.status IN ('draft', 'pending') THEN NULL ELSE b.id END,
       b.container_size,
       pg_temp.item_quantity(o.id * 16 + k.k), pg_temp.item_price(o.id * 16 + k.k),
       o.created_at, o.updated_at, o.created_by, o.updated_by
FROM (SELECT id, org_id, status, created_at, updated_at, created_by, updated_by,
             sum(pg_temp.item_count(id)) OVER (ORDER BY id) - pg_temp.item_count(id) AS offs
      FROM nursery.orders) AS o
CROSS JOIN LATERAL generate_series(1, pg_temp.item_count(o.id)) AS k(k)
JOIN gen_range AS br ON br.tbl = 'batches' AND br.org_id = o.org_id
JOIN nursery.batches AS b ON b.id = br.first_id + pg_temp.pick(o.id * 16 + k.k, 114, br.n);

-- step: allocations
INSERT INTO nursery.allocations (id, org_id, order_item_id, batch_id, quantity, status, allocated_at,
                                 created_at, updated_at, created_by, updated_by)
SELECT row_number() OVER (ORDER BY i.id), i.org_id, i.id, i.batch_id, i.quantity,
       CASE WHEN o.status = 'cancelled' THEN 'released'
            WHEN o.status IN ('confirmed', 'picking') THEN 'reserved'
            ELSE 'picked' END,
       i.updated_at, i.updated_at, i.updated_at, i.updated_by, i.updated_by
FROM nursery.order_items AS i
JOIN nursery.orders AS o ON o.id = i.order_id
WHERE i.batch_id IS NOT NULL
  AND (o.status IN ('confirmed', 'picking', 'dispatched') OR pg_temp.u(i.id, 131) < 0.25);

-- step: deliveries
INSERT INTO nursery.deliveries (id, org_id, order_id, delivery_number, status, scheduled_for,
                                delivered_at, driver_name, vehicle_reg,
                                created_at, updated_at, created_by, updated_by)
SELECT row_number() OVER (ORDER BY o.id), o.org_id, o.id,
       replace(o.order_number, 'SO-', 'DN-'),
       CASE o.status WHEN 'delivered' THEN 'delivered'
                     WHEN 'dispatched' THEN CASE WHEN pg_temp.u(o.id, 141) < 0.1 THEN 'failed' ELSE 'out_for_delivery' END
                     ELSE 'scheduled' END,
       x.scheduled_for,
       CASE WHEN o.status = 'delivered' THEN pg_temp.at(x.scheduled_for, o.id, 142) END,
       pg_temp.word(pg_temp.first_names(), o.id, 143) || ' ' || pg_temp.word(pg_temp.last_names(), o.id, 144),
       upper(pg_temp.word(ARRAY['AB', 'CD', 'EF', 'GH', 'KL', 'MN'], o.id, 145))
           || lpad(pg_temp.pick(o.org_id, 146, 75)::text, 2, '0') || ' '
           || pg_temp.word(ARRAY['XKR', 'VNP', 'GTW', 'BDY'], o.org_id * 8 + pg_temp.pick(o.id, 147, 3), 148),
       o.updated_at, o.updated_at, o.updated_by, o.updated_by
FROM nursery.orders AS o
CROSS JOIN LATERAL (SELECT CASE WHEN o.status = 'delivered'
                                THEN least(o.requested_delivery_date, pg_temp.today())
                                ELSE o.requested_delivery_date END AS scheduled_for) AS x
WHERE o.status IN ('confirmed', 'picking', 'dispatched', 'delivered');

-- step: delivery_items
-- Line-by-line proof of delivery started six months before the snapshot.
INSERT INTO nursery.delivery_items (id, org_id, delivery_id, order_item_id, quantity_delivered,
                                    created_at, updated_at, created_by, updated_by)
SELECT row_number() OVER (ORDER BY i.id), d.org_id, d.id, i.id,
       CASE WHEN pg_temp.u(i.id, 151) < 0.03 THEN i.quantity / 2 ELSE i.quantity END,
       d.updated_at, d.updated_at, d.updated_by, d.updated_by
FROM nursery.deliveries AS d
JOIN nursery.order_items AS i ON i.order_id = d.order_id
WHERE d.status = 'delivered' AND d.scheduled_for >= pg_temp.today() - 180;

-- step: invoices
INSERT INTO nursery.invoices (id, org_id, customer_id, order_id, invoice_number, status, issued_on,
                              due_on, paid_on, subtotal, tax_amount, total_amount,
                              created_at, updated_at, created_by, updated_by)
SELECT row_number() OVER (ORDER BY o.id), o.org_id, o.customer_id, o.id,
       replace(o.order_number, 'SO-', 'INV-'),
       s.status, x.issued_on, x.due_on,
       CASE WHEN s.status = 'paid'
            THEN least(x.issued_on + pg_temp.pick(o.id, 162, c.payment_terms_days + 20)::integer, pg_temp.today()) END,
       o.total_amount, round(o.total_amount * 0.2, 2), o.total_amount + round(o.total_amount * 0.2, 2),
       pg_temp.at(x.issued_on, o.id, 163), pg_temp.at(x.issued_on, o.id, 163), o.updated_by, o.updated_by
FROM nursery.orders AS o
JOIN nursery.customers AS c ON c.id = o.customer_id
CROSS JOIN LATERAL (SELECT least(o.requested_delivery_date, pg_temp.today()) AS issued_on,
                           least(o.requested_delivery_date, pg_temp.today()) + c.payment_terms_days AS due_on) AS x
CROSS JOIN LATERAL (SELECT CASE
       WHEN x.due_on < pg_temp.today() - 90 THEN pg_temp.weighted(ARRAY['paid', 'void', 'overdue'], ARRAY[0.975, 0.99], o.id, 161)
       WHEN x.due_on < pg_temp.today() THEN pg_temp.weighted(ARRAY['paid', 'overdue', 'void'], ARRAY[0.80, 0.99], o.id, 161)
       ELSE pg_temp.weighted(ARRAY['issued', 'paid', 'draft'], ARRAY[0.85, 0.97], o.id, 161)
       END AS status) AS s
WHERE o.status = 'delivered';

-- step: invoice_items
-- Itemised invoices started four months before the snapshot.
INSERT INTO nursery.invoice_items (id, org_id, invoice_id, order_item_id, description, quantity, unit_price,
                                   created_at, updated_at, created_by, updated_by)
SELECT row_number() OVER (ORDER BY i.id), v.org_id, v.id, i.id,
       p.common_name || ' (' || i.container_size || ')', i.quantity, i.unit_price,
       v.created_at, v.created_at, v.created_by, v.created_by
FROM nursery.invoices AS v
JOIN nursery.order_items AS i ON i.order_id = v.order_id
JOIN nursery.plant_varieties AS p ON p.id = i.variety_id
WHERE v.issued_on >= pg_temp.today() - 120;

-- step: ipm_observations
INSERT INTO nursery.ipm_observations (id, org_id, batch_id, location_id, pest, severity, affected_pct,
                                      observed_on, notes, created_at, updated_at, created_by, updated_by)
SELECT o.id, o.org_id, CASE WHEN o.on_batch THEN b.id END,
       CASE WHEN o.on_batch THEN b.location_id ELSE o.location_id END,
       o.pest, o.severity, round((o.severity * 12 * pg_temp.u(o.id, 177))::numeric, 2),
       o.d,
       CASE WHEN pg_temp.u(o.id, 178) < 0.2 THEN pg_temp.word(ARRAY['Found on undersides of leaves',
           'Sticky traps full', 'Spreading from the door end', 'Isolated the worst trays',
           'Beneficials released last week'], o.id, 179) END,
       pg_temp.at(o.d, o.id, 180), pg_temp.at(o.d, o.id, 180), o.user_id, o.user_id
FROM (
    SELECT g.id, r.org_id, x.d,
           br.first_id + pg_temp.pick(g.id, 171, br.n) AS batch_id,
           lr.first_id + 1 + pg_temp.pick(g.id, 172, lr.n - 1) AS location_id,
           pg_temp.u(g.id, 173) < 0.8 AS on_batch,
           pg_temp.weighted(ARRAY['aphids', 'vine weevil', 'whitefly', 'spider mite', 'thrips',
               'powdery mildew', 'botrytis', 'sciarid fly', 'slugs', 'caterpillars', 'downy mildew', 'rust'],
               ARRAY[0.22, 0.32, 0.42, 0.52, 0.60, 0.70, 0.78, 0.85, 0.91, 0.95, 0.98], g.id, 174) AS pest,
           (1 + floor(power(pg_temp.u(g.id, 175), 1.8) * 5))::smallint AS severity,
           a.user_id
    FROM gen_range AS r
    CROSS JOIN LATERAL generate_series(r.first_id, r.first_id + r.n - 1) AS g(id)
    CROSS JOIN LATERAL (SELECT pg_temp.nth_day(g.id - r.first_id, r.n, 176) AS d) AS x
    JOIN gen_range AS br ON br.tbl = 'batches' AND br.org_id = r.org_id
    JOIN gen_range AS lr ON lr.tbl = 'locations' AND lr.org_id = r.org_id
    JOIN gen_range AS rp ON rp.tbl = 'profiles' AND rp.org_id = r.org_id
    JOIN gen_actor AS a ON a.p = rp.first_id + pg_temp.pick(g.id, 181, rp.n)
    WHERE r.tbl = 'ipm_observations'
) AS o
JOIN nursery.batches AS b ON b.id = o.batch_id;

-- step: ipm_treatments
CREATE TEMP TABLE gen_product (k integer PRIMARY KEY, product text, active_ingredient text, method text,
                               dose text, reentry_hours smallint);
INSERT INTO gen_product VALUES
    (0, 'Aphidius colemani', NULL, 'biological', '0.5 per m2', 0),
    (1, 'Nemasys vine weevil killer', 'Steinernema kraussei', 'drench', '50 million per 100 m2', 0),
    (2, 'Encarsia formosa', NULL, 'biological', '3 per m2 weekly', 0),
    (3, 'Phytoseiulus persimilis', NULL, 'biological', '10 per m2', 0),
    (4, 'SB Plant Invigorator', 'surfactants', 'spray', '20 ml per litre', 4),
    (5, 'Sulphur 80 WG', 'sulphur', 'spray', '3 g per litre', 24),
    (6, 'Serenade ASO', 'Bacillus amyloliquefaciens', 'spray', '10 l per ha', 0),
    (7, 'Hand picking and removal', NULL, 'manual', NULL, 0),
    (8, 'Ferric phosphate pellets', 'ferric phosphate', 'manual', '6 g per m2', 0),
    (9, 'Botanigard WP', 'Beauveria bassiana', 'spray', '50 g per 100 l', 12);

INSERT INTO nursery.ipm_treatments (id, observation_id, product, active_ingredient, method, dose, applied_on,
                                    reentry_hours, created_at, updated_at, created_by, updated_by)
SELECT row_number() OVER (ORDER BY o.id), o.id, p.product, p.active_ingredient, p.method, p.dose,
       o.observed_on + pg_temp.pick(o.id, 191, 4)::integer, p.reentry_hours,
       o.created_at, o.created_at, o.created_by, o.created_by
FROM nursery.ipm_observations AS o
JOIN gen_product AS p ON p.k = pg_temp.pick(o.id, 192, 10)
WHERE o.severity >= 3 OR pg_temp.u(o.id, 193) < 0.1;

-- step: tasks
INSERT INTO nursery.tasks (id, org_id, batch_id, location_id, assigned_to, title, kind, status, priority,
                           due_date, completed_at, created_at, updated_at, created_by, updated_by)
SELECT t.id, t.org_id,
       CASE WHEN t.kind IN ('watering', 'potting', 'spacing', 'spraying', 'stocktake') THEN t.batch_id END,
       t.location_id,
       CASE WHEN pg_temp.u(t.id, 204) < 0.88 THEN t.assignee END,
       pg_temp.word(CASE t.kind
           WHEN 'watering' THEN ARRAY['Water by hand', 'Check irrigation lines', 'Water the propagation bench']
           WHEN 'potting' THEN ARRAY['Pot on plugs', 'Pot on into 2L', 'Top-dress with fresh compost']
           WHEN 'spacing' THEN ARRAY['Space out the batch', 'Consolidate half-empty trays']
           WHEN 'picking' THEN ARRAY['Pick order', 'Pick and label order', 'Pre-pick for tomorrow']
           WHEN 'spraying' THEN ARRAY['Spray for aphids', 'Apply fungicide', 'Release biological control']
           WHEN 'stocktake' THEN ARRAY['Count the batch', 'Stocktake the polytunnel']
           WHEN 'maintenance' THEN ARRAY['Fix irrigation leak', 'Replace polythene', 'Clear drainage channels']
           ELSE ARRAY['Load the delivery van', 'Wrap trolleys for dispatch'] END, t.id, 201),
       t.kind, t.status,
       (1 + floor(power(pg_temp.u(t.id, 205), 0.7) * 4))::smallint,
       t.due_date,
       CASE WHEN t.status = 'done'
            THEN pg_temp.at(least(t.due_date - pg_temp.pick(t.id, 206, 3)::integer, pg_temp.today()), t.id, 207) END,
       t.created_at,
       CASE WHEN t.status IN ('done', 'cancelled', 'in_progress')
            THEN greatest(t.created_at, pg_temp.at(least(t.due_date, pg_temp.today()), t.id, 207))
            ELSE t.created_at END,
       t.author, t.author
FROM (
    SELECT x.*, CASE
           WHEN x.due_date < pg_temp.today() - 7 THEN
                pg_temp.weighted(ARRAY['done', 'cancelled', 'open', 'in_progress'], ARRAY[0.935, 0.985, 0.995], x.id, 214)
           WHEN x.due_date <= pg_temp.today() THEN
                pg_temp.weighted(ARRAY['done', 'in_progress', 'open', 'cancelled'], ARRAY[0.50, 0.72, 0.97], x.id, 214)
           ELSE pg_temp.weighted(ARRAY['open', 'in_progress'], ARRAY[0.85], x.id, 214)
           END AS status,
           pg_temp.at(least(x.due_date - (1 + pg_temp.pick(x.id, 208, 14))::integer, pg_temp.today()), x.id, 209) AS created_at
    FROM (
        SELECT g.id, r.org_id,
               pg_temp.nth_day(g.id - r.first_id, r.n, 210) + 30 AS due_date,
               pg_temp.weighted(ARRAY['watering', 'potting', 'spacing', 'picking', 'spraying', 'stocktake',
                                      'maintenance', 'dispatch'],
                                ARRAY[0.25, 0.40, 0.50, 0.70, 0.78, 0.83, 0.90], g.id, 211) AS kind,
               br.first_id + pg_temp.pick(g.id, 202, br.n) AS batch_id,
               lr.first_id + 1 + pg_temp.pick(g.id, 203, lr.n - 1) AS location_id,
               assignee.user_id AS assignee,
               author.user_id AS author
        FROM gen_range AS r
        CROSS JOIN LATERAL generate_series(r.first_id, r.first_id + r.n - 1) AS g(id)
        JOIN gen_range AS br ON br.tbl = 'batches' AND br.org_id = r.org_id
        JOIN gen_range AS lr ON lr.tbl = 'locations' AND lr.org_id = r.org_id
        JOIN gen_range AS rp ON rp.tbl = 'profiles' AND rp.org_id = r.org_id
        JOIN gen_actor AS assignee ON assignee.p = rp.first_id + pg_temp.pick(g.id, 212, rp.n)
        JOIN gen_actor AS author ON author.p = rp.first_id + pg_temp.pick(g.id, 213, least(rp.n, 5))
        WHERE r.tbl = 'tasks'
        OFFSET 0
    ) AS x
    OFFSET 0
) AS t;
