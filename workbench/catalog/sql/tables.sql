-- Tables, partitioned tables, views, materialized views and foreign tables of the user
-- schemas, without objects that belong to an extension. Sizes are estimates, like the row
-- estimate: pages as of the last VACUUM or ANALYZE (table_bytes: the table and its TOAST
-- table; add the indexes' for the total), NULL before the first one. (pg_table_size would
-- read the files instead: exact, and slower by a stat of every file of every table.)
-- inherits lists the parents of classic inheritance (INHERITS), as {schema, name} pairs in
-- declaration order; a partition's parent is parent_schema.parent_name instead.
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
       CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned'
                      WHEN 'v' THEN 'view' WHEN 'm' THEN 'matview' WHEN 'f' THEN 'foreign' END AS kind,
       pg_get_userbyid(c.relowner) AS owner,
       CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint END AS rows_estimate,
       CASE WHEN c.relkind IN ('r', 'm') AND c.reltuples >= 0
            THEN (c.relpages + coalesce(toast.relpages, 0)) * current_setting('block_size')::bigint
       END AS table_bytes,
       c.relrowsecurity AS rls_enabled,
       c.relforcerowsecurity AS rls_forced,
       c.relpersistence = 'u' AS unlogged,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
       pn.nspname AS parent_schema,
       pc.relname AS parent_name,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
       ARRAY(SELECT ARRAY[hn.nspname::text, hc.relname::text]
             FROM pg_inherits h
             JOIN pg_class hc ON hc.oid = h.inhparent
             JOIN pg_namespace hn ON hn.oid = hc.relnamespace
             WHERE h.inhrelid = c.oid AND NOT c.relispartition
             ORDER BY h.inhseqno) AS inherits,
       coalesce(c.reloptions, '{}')::text[] AS options,
       d.description AS comment
FROM pg_class c
JOIN nsp ON nsp.oid = c.relnamespace
LEFT JOIN pg_class toast ON toast.oid = c.reltoastrelid
LEFT JOIN pg_inherits i ON c.relispartition AND i.inhrelid = c.oid
LEFT JOIN pg_class pc ON pc.oid = i.inhparent
LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace
LEFT JOIN pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND c.oid NOT IN (SELECT e.objid FROM pg_depend e
                    WHERE e.classid = 'pg_class'::regclass AND e.deptype = 'e')
ORDER BY nsp.nspname, c.relname;
