-- Undo nursery_schema.sql: drop the nursery schema and everything in it.
-- The auth shim (schema auth and the API roles) stays: other schemas may use it.
DROP SCHEMA IF EXISTS nursery CASCADE;
