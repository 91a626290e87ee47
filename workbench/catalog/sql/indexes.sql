-- Indexes on user tables and materialized views. key_numbers are the indexed columns'
-- numbers (pg_attribute.attnum; 0 for an expression), the first key_count of them the key,
-- the rest INCLUDE columns; expressions holds each key's text, for indexes with expressions.
-- partition_of is the partitioned index ({schema, name}) an index of a partition is attached to.
-- size_bytes is an estimate: pages as of the index's creation or last VACUUM or ANALYZE.
-- Parts of tables that belong to an extension come too: the snapshot drops them with the table.
-- Optional filter: SET workbench.schemas = '{a,b}' (an array literal of schema names).
WITH nsp AS (
    SELECT n.oid, n.nspname
    FROM pg_namespace n
    WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
      AND coalesce(n.nspname = ANY (nullif(current_setting('workbench.schemas', true), '')::text[]),
                   true)
)
SELECT nsp.nspname AS schema,
       c.relname AS table,
       ic.relname AS name,
       am.amname AS method,
       i.indkey::int2[] AS key_numbers,
       i.indnkeyatts AS key_count,
       CASE WHEN i.indexprs IS NOT NULL
            THEN ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true)
                       FROM generate_series(1, i.indnkeyatts) AS k) END AS expressions,
       pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
       i.indisunique AS unique,
       i.indisprimary AS primary,
       i.indisvalid AS valid,
       CASE WHEN pi.oid IS NOT NULL THEN ARRAY[pn.nspname::text, pi.relname::text] END AS partition_of,
       ic.relpages * current_setting('block_size')::bigint AS size_bytes,
       pg_get_indexdef(i.indexrelid) AS definition,
       d.description AS comment
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid
JOIN nsp ON nsp.oid = c.relnamespace
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN pg_inherits pih ON ic.relispartition AND pih.inhrelid = ic.oid
LEFT JOIN pg_class pi ON pi.oid = pih.inhparent
LEFT JOIN pg_namespace pn ON pn.oid = pi.relnamespace
LEFT JOIN pg_description d
       ON d.objoid = ic.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE c.relkind IN ('r', 'p', 'm')
ORDER BY nsp.nspname, c.relname, ic.relname;
