-- Default privileges (ALTER DEFAULT PRIVILEGES): what the objects a role creates later get,
-- one row per grantee and privilege, as the difference from PostgreSQL's own defaults.
-- An entry for the whole database (schema NULL) replaces the built-in defaults: rows it
-- adds are grants, built-in rows it lacks are revoked (revoked true). An entry for one
-- schema only adds to them: every row is a grant.
-- object_type is the word ALTER DEFAULT PRIVILEGES uses, in the singular: table, sequence,
-- function, type, schema.
-- Sorted in code point order (COLLATE "C", as name columns are) like every catalog query.
-- Optional filter: SET workbench.schemas = '{a,b}' (an array literal of schema names); the
-- database-wide entries always come.
WITH nsp AS (
    SELECT n.oid, n.nspname
    FROM pg_namespace n
    WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
      AND coalesce(n.nspname = ANY (nullif(current_setting('workbench.schemas', true), '')::text[]),
                   true)
),
entry AS (
    SELECT d.defaclrole, d.defaclnamespace, d.defaclacl,
           CASE d.defaclobjtype WHEN 'r' THEN 'table' WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'function'
                                WHEN 'T' THEN 'type' WHEN 'n' THEN 'schema' END AS object_type,
           CASE WHEN d.defaclnamespace = 0
                THEN acldefault(CASE d.defaclobjtype WHEN 'S' THEN 's' ELSE d.defaclobjtype END,
                                d.defaclrole)
           END AS builtin
    FROM pg_default_acl d
    WHERE d.defaclnamespace = 0 OR d.defaclnamespace IN (SELECT nsp.oid FROM nsp)
),
item AS (
    SELECT e.defaclrole, e.defaclnamespace, e.object_type, x.grantee, x.privilege_type,
           x.is_grantable, false AS revoked
    FROM entry e, aclexplode(e.defaclacl) x
    WHERE (x.grantee, x.privilege_type, x.is_grantable) NOT IN
          (SELECT b.grantee, b.privilege_type, b.is_grantable FROM aclexplode(e.builtin) b)
    UNION ALL
    SELECT e.defaclrole, e.defaclnamespace, e.object_type, b.grantee, b.privilege_type,
           b.is_grantable, true
    FROM entry e, aclexplode(e.builtin) b
    WHERE (b.grantee, b.privilege_type, b.is_grantable) NOT IN
          (SELECT x.grantee, x.privilege_type, x.is_grantable FROM aclexplode(e.defaclacl) x)
)
SELECT g.*
FROM (SELECT pg_get_userbyid(item.defaclrole)::text AS role,
             n.nspname::text AS schema,
             item.object_type,
             CASE WHEN item.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(item.grantee)::text END
                 AS grantee,
             item.privilege_type AS privilege,
             item.is_grantable AS grantable,
             item.revoked
      FROM item
      LEFT JOIN pg_namespace n ON n.oid = item.defaclnamespace) AS g
ORDER BY g.role COLLATE "C", g.schema COLLATE "C" NULLS FIRST, g.object_type COLLATE "C",
         g.grantee COLLATE "C", g.privilege COLLATE "C", g.revoked;
