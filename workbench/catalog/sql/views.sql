-- Views and materialized views: definition and the security options.
-- Optional filter: SET workbench.schemas = '{a,b}' (an array literal of schema names).
WITH nsp AS (
    SELECT n.oid, n.nspname
    FROM pg_namespace n
    WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
      AND coalesce(n.nspname = ANY (nullif(current_setting('workbench.schemas', true), '')::text[]),
                   true)
)
SELECT nsp.nspname AS schema,
       c.relname AS name,
       CASE c.relkind WHEN 'v' THEN 'view' ELSE 'matview' END AS kind,
       pg_get_viewdef(c.oid, true) AS definition,
       coalesce((SELECT o.option_value::bool FROM pg_options_to_table(c.reloptions) o
                 WHERE o.option_name = 'security_invoker'), false) AS security_invoker,
       coalesce((SELECT o.option_value::bool FROM pg_options_to_table(c.reloptions) o
                 WHERE o.option_name = 'security_barrier'), false) AS security_barrier,
       (SELECT o.option_value FROM pg_options_to_table(c.reloptions) o
        WHERE o.option_name = 'check_option') AS check_option,
       c.relispopulated AS populated
FROM pg_class c
JOIN nsp ON nsp.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm')
  AND c.oid NOT IN (SELECT e.objid FROM pg_depend e
                    WHERE e.classid = 'pg_class'::regclass AND e.deptype = 'e')
ORDER BY nsp.nspname, c.relname;
