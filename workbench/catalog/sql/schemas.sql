-- User schemas: everything but pg_* and information_schema.
-- Optional filter: SET workbench.schemas = '{a,b}' (an array literal of schema names).
SELECT n.nspname AS name,
       pg_get_userbyid(n.nspowner) AS owner,
       d.description AS comment
FROM pg_namespace n
LEFT JOIN pg_description d
       ON d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass AND d.objsubid = 0
WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
  AND coalesce(n.nspname = ANY (nullif(current_setting('workbench.schemas', true), '')::text[]),
               true)
ORDER BY n.nspname;
