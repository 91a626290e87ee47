-- Undo agent_schema.sql: drop the agent schema and everything in it.
-- The auth shim (schema auth and the API roles) stays: other schemas may use it.
DROP SCHEMA IF EXISTS agent CASCADE;
