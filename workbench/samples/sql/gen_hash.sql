-- Hash helpers for the data generators (the demos', and the index advice's test domains),
-- created in pg_temp (they vanish with the session). Every value derives from hashes of row
-- numbers, so the same row number gives the same value on every run and every server.

-- A uniform number in [0, 1) for row n; salt tells apart several draws for one row.
CREATE FUNCTION pg_temp.u(n bigint, salt integer) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (hashint8extended(n, salt::bigint) & 1099511627775)::double precision / 1099511627776.0 $$;

-- An integer in [0, k).
CREATE FUNCTION pg_temp.pick(n bigint, salt integer, k bigint) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT floor(pg_temp.u(n, salt) * k)::bigint $$;

-- One of words, uniformly.
CREATE FUNCTION pg_temp.word(words text[], n bigint, salt integer) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT words[1 + floor(pg_temp.u(n, salt) * cardinality(words))::integer] $$;

-- One of words, with cumulative thresholds (one fewer than words): ARRAY[0.7, 0.9] gives
-- the first word 70 %, the second 20 %, the third 10 % of the time.
CREATE FUNCTION pg_temp.weighted(words text[], thresholds double precision[], n bigint, salt integer)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT words[width_bucket(pg_temp.u(n, salt), thresholds) + 1] $$;
