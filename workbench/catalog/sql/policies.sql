-- Row Level Security policies: command, permissive or restrictive, roles, USING, WITH CHECK, comment.
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
       p.polname AS name,
       CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                     WHEN 'd' THEN 'DELETE' WHEN '*' THEN 'ALL' END AS command,
       p.polpermissive AS permissive,
       ARRAY(SELECT r.name
             FROM (SELECT CASE WHEN oid = 0 THEN 'public' ELSE pg_get_userbyid(oid)::text END
                   FROM unnest(p.polroles) AS oid) AS r(name)
             ORDER BY r.name COLLATE "C") AS roles,
       pg_get_expr(p.polqual, p.polrelid, true) AS using,
       pg_get_expr(p.polwithcheck, p.polrelid, true) AS with_check,
       d.description AS comment
FROM pg_policy p
JOIN pg_class c ON c.oid = p.polrelid
JOIN nsp ON nsp.oid = c.relnamespace
LEFT JOIN pg_description d
       ON d.objoid = p.oid AND d.classoid = 'pg_policy'::regclass AND d.objsubid = 0
ORDER BY nsp.nspname, c.relname, p.polname;
