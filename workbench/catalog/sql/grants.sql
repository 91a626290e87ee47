-- Privileges granted on tables, views, sequences, schemas, functions and columns, one row per
-- grantee and privilege (column privileges name their column; the others have none). The
-- owner's own (implicit) privileges are left out; functions without an ACL show
-- PostgreSQL's default (EXECUTE to PUBLIC).
-- Sorted in code point order (COLLATE "C", as name columns are) like every catalog query.
-- Optional filter: SET workbench.schemas = '{a,b}' (an array literal of schema names).
WITH nsp AS (
    SELECT n.oid, n.nspname, n.nspowner, n.nspacl
    FROM pg_namespace n
    WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
      AND coalesce(n.nspname = ANY (nullif(current_setting('workbench.schemas', true), '')::text[]),
                   true)
),
acl AS (
    SELECT CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view' WHEN 'm' THEN 'matview'
                          WHEN 'f' THEN 'foreign table' ELSE 'table' END AS object_type,
           nsp.nspname AS schema, c.relname::text AS name, c.relowner AS owner,
           aclexplode(c.relacl) AS x, NULL::text AS column_name
    FROM pg_class c
    JOIN nsp ON nsp.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND c.relacl IS NOT NULL
      AND NOT EXISTS (SELECT FROM pg_depend e
                      WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
    UNION ALL
    SELECT 'column', nsp.nspname, c.relname::text, c.relowner, aclexplode(a.attacl), a.attname::text
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN nsp ON nsp.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped
      AND a.attacl IS NOT NULL
      AND NOT EXISTS (SELECT FROM pg_depend e
                      WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
    UNION ALL
    SELECT 'schema', nsp.nspname, nsp.nspname::text, nsp.nspowner, aclexplode(nsp.nspacl), NULL
    FROM nsp
    WHERE nsp.nspacl IS NOT NULL
    UNION ALL
    SELECT 'function', nsp.nspname, p.proname || '(' || oidvectortypes(p.proargtypes) || ')',
           p.proowner, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))), NULL
    FROM pg_proc p
    JOIN nsp ON nsp.oid = p.pronamespace
    WHERE NOT EXISTS (SELECT FROM pg_depend e
                      WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e')
)
SELECT g.*
FROM (SELECT acl.object_type,
             acl.schema,
             acl.name,
             CASE WHEN (acl.x).grantee = 0 THEN 'PUBLIC'
                  ELSE pg_get_userbyid((acl.x).grantee)::text END AS grantee,
             (acl.x).privilege_type AS privilege,
             (acl.x).is_grantable AS grantable,
             pg_get_userbyid((acl.x).grantor) AS grantor,
             acl.column_name AS "column"
      FROM acl
      WHERE (acl.x).grantee <> acl.owner) AS g
ORDER BY g.object_type COLLATE "C", g.schema, g.name COLLATE "C",
         g."column" COLLATE "C" NULLS FIRST, g.grantee COLLATE "C", g.privilege COLLATE "C";
