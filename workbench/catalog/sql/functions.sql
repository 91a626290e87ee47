-- Functions and procedures (aggregates and window functions too), without those that belong
-- to an extension. The definition is pg_get_functiondef's CREATE statement (none for aggregates).
-- Optional filter: SET workbench.schemas = '{a,b}' (an array literal of schema names).
WITH nsp AS (
    SELECT n.oid, n.nspname
    FROM pg_namespace n
    WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
      AND coalesce(n.nspname = ANY (nullif(current_setting('workbench.schemas', true), '')::text[]),
                   true)
)
SELECT nsp.nspname AS schema,
       p.proname AS name,
       CASE p.prokind WHEN 'f' THEN 'function' WHEN 'p' THEN 'procedure'
                      WHEN 'a' THEN 'aggregate' WHEN 'w' THEN 'window' END AS kind,
       pg_get_function_arguments(p.oid) AS arguments,
       pg_get_function_identity_arguments(p.oid) AS identity_arguments,
       oidvectortypes(p.proargtypes) AS argument_types,
       pg_get_function_result(p.oid) AS returns,
       l.lanname AS language,
       p.prosecdef AS security_definer,
       CASE p.provolatile WHEN 'i' THEN 'immutable' WHEN 's' THEN 'stable' WHEN 'v' THEN 'volatile' END
           AS volatility,
       p.proisstrict AS strict,
       coalesce(p.proconfig, '{}') AS config,
       pg_get_userbyid(p.proowner) AS owner,
       CASE WHEN p.prokind IN ('f', 'p') THEN pg_get_functiondef(p.oid) END AS definition,
       d.description AS comment
FROM pg_proc p
JOIN nsp ON nsp.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
LEFT JOIN pg_description d
       ON d.objoid = p.oid AND d.classoid = 'pg_proc'::regclass AND d.objsubid = 0
WHERE NOT EXISTS (SELECT FROM pg_depend e
                  WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e')
ORDER BY nsp.nspname, p.proname, oidvectortypes(p.proargtypes) COLLATE "C";
