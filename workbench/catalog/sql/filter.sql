-- The schema filter the catalog queries read: an array literal of schema names, or '' for
-- every user schema. In psql: SET workbench.schemas = '{nursery,auth}';
SELECT set_config('workbench.schemas', coalesce(%(schemas)s::text[]::text, ''), true);
