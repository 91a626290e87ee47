-- Helpers for the demo data generators, created in pg_temp (they vanish with the session).
--
-- Every value is derived from hashes of row numbers, so the same scale gives the same rows
-- on every run and every server. Dates are spread over the three years before the snapshot
-- date 2026-10-31, with more activity in recent months (the businesses grow).
-- The scale comes from the setting workbench.scale. The hash helpers (u, pick, word,
-- weighted) come from gen_hash.sql, run first.

CREATE FUNCTION pg_temp.scale() RETURNS double precision
    LANGUAGE sql STABLE
AS $$ SELECT current_setting('workbench.scale')::double precision $$;

-- The snapshot date: the data's "today".
CREATE FUNCTION pg_temp.today() RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT DATE '2026-10-31' $$;

-- The end of the snapshot day, as a moment.
CREATE FUNCTION pg_temp.snapshot() RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT TIMESTAMPTZ '2026-10-31 18:00:00+00' $$;

-- A day in the three years before today, recent days more likely (linear growth).
CREATE FUNCTION pg_temp.day(n bigint, salt integer) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT DATE '2026-10-31' - floor((1.0 - sqrt(pg_temp.u(n, salt))) * 1095)::integer $$;

-- The day of the i-th of n events of one organization (i = 0 .. n-1), in time order:
-- event numbers grow with time, and recent days hold more events.
CREATE FUNCTION pg_temp.nth_day(i bigint, n bigint, salt integer) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT DATE '2026-10-31' - floor((1.0 - sqrt((i + pg_temp.u(i * 7919 + n, salt)) / n)) * 1095)::integer $$;

-- A moment during working hours (07:00-18:00, UK time) of day d.
CREATE FUNCTION pg_temp.at(d date, n bigint, salt integer) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT (d + make_interval(mins => (420 + pg_temp.pick(n, salt, 660))::integer))
           AT TIME ZONE 'Europe/London'
$$;

CREATE FUNCTION pg_temp.first_names() RETURNS text[]
    LANGUAGE sql IMMUTABLE
AS $$ SELECT ARRAY['Olivia', 'Amelia', 'Isla', 'Ava', 'Mia', 'Ivy', 'Lily', 'Freya', 'Grace',
    'Sophia', 'Ella', 'Rosie', 'Evie', 'Poppy', 'Daisy', 'Ruby', 'Hannah', 'Priya', 'Aisha',
    'Zara', 'Oliver', 'George', 'Noah', 'Arthur', 'Leo', 'Harry', 'Oscar', 'Archie', 'Henry',
    'Theo', 'Jack', 'Charlie', 'Thomas', 'James', 'Samuel', 'Mohammed', 'Rohan', 'Tomasz',
    'Lukas', 'Mateo'] $$;

CREATE FUNCTION pg_temp.last_names() RETURNS text[]
    LANGUAGE sql IMMUTABLE
AS $$ SELECT ARRAY['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson',
    'Davies', 'Patel', 'Wright', 'Robinson', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts',
    'Green', 'Hall', 'Thomas', 'Clarke', 'Jackson', 'Wood', 'Harris', 'Edwards', 'Turner',
    'Martin', 'Cooper', 'Hill', 'Ward', 'Hughes', 'Moore', 'Clark', 'King', 'Harrison',
    'Lewis', 'Baker', 'Lee', 'Allen', 'Morris', 'Khan'] $$;

-- Scans start at the first page, so every run reads rows in the same order.
SET synchronize_seqscans = off;
