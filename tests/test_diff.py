"""The diff engine's decisions, one at a time: snapshots from SQL on the embedded PostgreSQL
(``workbench.diff.desired.from_sql``), statements checked for their form and order.

The corpus (test_diff_pairs.py) proves migrations converge; these tests pin down *how* they
get there: safe forms, order, permission for data loss, renames and questions.
"""
from __future__ import annotations

import time

import pytest

from workbench.catalog import (Column, Constraint, ForeignKey, Index, Namespace, Objects, Policy, Schema,
                               Table)
from workbench.diff import DiffError, diff_sql
from workbench.diff.desired import from_sql


def diff(before: str, after: str, **options):
    return diff_sql(from_sql(before), from_sql(after), **options)


def position(statements, text: str) -> int:
    """The index of the first statement holding ``text``."""
    return next(i for i, s in enumerate(statements) if text in s.sql)


def test_data_loss_needs_permission_and_names_each_statement():
    before = "CREATE TABLE a (id int PRIMARY KEY, x text);\nCREATE TABLE gone (id int);\n"
    after = "CREATE TABLE a (id int PRIMARY KEY);\n"
    with pytest.raises(DiffError) as raised:
        diff(before, after)
    message = str(raised.value)
    assert "drops column public.a.x and its data" in message
    assert "drops table public.gone and its rows" in message
    assert "allow_destructive=True" in message
    migration = diff(before, after, allow_destructive=True)
    assert {s.sql for s in migration.destructive} == {"ALTER TABLE public.a DROP COLUMN x;",
                                                      "DROP TABLE public.gone;"}


def test_a_narrowing_type_is_destructive_and_a_widening_one_is_not():
    migration = diff("CREATE TABLE t (a int, b varchar(10));",
                     "CREATE TABLE t (a bigint, b varchar(5));", allow_destructive=True)
    assert [s.sql for s in migration.destructive] == [
        "ALTER TABLE public.t ALTER COLUMN b TYPE character varying(5);"]
    assert "ALTER TABLE public.t ALTER COLUMN a TYPE bigint;" in migration.up_sql


def test_a_table_or_column_removed_and_added_alike_is_a_question():
    before = "CREATE TABLE old_people (id int, name text);\nCREATE TABLE c (id int, a text);\n"
    after = "CREATE TABLE people (id int, name text);\nCREATE TABLE c (id int, b text);\n"
    with pytest.raises(DiffError) as raised:
        diff(before, after)
    assert "say which are renames" in str(raised.value)
    migration = diff(before, after, allow_destructive=True)
    asked = {(q.kind, q.removed, q.added, q.rename_key, q.rename_value) for q in migration.questions}
    assert asked == {("table", "public.old_people", "public.people", "public.old_people", "public.people"),
                     ("column", "public.c.a", "public.c.b", "public.c.a", "b")}
    assert "renames={'public.c.a': 'b'}" in [q.text for q in migration.questions if q.kind == "column"][0]


def test_renames_are_renames_not_drops_and_adds():
    before = ("CREATE TABLE old_people (id int PRIMARY KEY, name text);\n"
              "CREATE INDEX by_name ON old_people (name);\n")
    after = ("CREATE TABLE people (id int PRIMARY KEY, full_name text);\n"
             "CREATE INDEX by_name ON people (full_name);\n")
    migration = diff(before, after, renames={"public.old_people": "public.people",
                                             "public.old_people.name": "full_name"})
    sqls = [s.sql for s in migration.up]
    assert sqls[:2] == ["ALTER TABLE public.old_people RENAME TO people;",
                        "ALTER TABLE public.people RENAME COLUMN name TO full_name;"]
    assert "ALTER TABLE public.people RENAME CONSTRAINT old_people_pkey TO people_pkey;" in sqls
    assert not any(s.startswith(("DROP", "CREATE")) for s in sqls)
    assert not migration.destructive and not migration.questions
    assert migration.down[0].sql == "ALTER TABLE public.people RENAME TO old_people;"


def test_an_index_renamed_alike_is_renamed():
    migration = diff("CREATE TABLE t (a int);\nCREATE INDEX t_old ON t (a);",
                     "CREATE TABLE t (a int);\nCREATE INDEX t_a_idx ON t (a);")
    assert [s.sql for s in migration.up] == ["ALTER INDEX public.t_old RENAME TO t_a_idx;"]


def test_new_indexes_are_concurrent_on_existing_tables_and_plain_on_new_ones():
    migration = diff("CREATE TABLE t (a int);",
                     "CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);\n"
                     "CREATE TABLE u (b int);\nCREATE INDEX u_b ON u (b);")
    on_t = migration.up[position(migration.up, "t_a")]
    on_u = migration.up[position(migration.up, "u_b ON")]
    assert on_t.sql == "CREATE INDEX CONCURRENTLY t_a ON public.t (a);" and not on_t.transactional
    assert on_u.sql.startswith("CREATE INDEX u_b ON public.u ") and on_u.transactional
    dropped = migration.down[position(migration.down, "t_a")]
    assert dropped.sql == "DROP INDEX CONCURRENTLY public.t_a;" and not dropped.transactional


def test_foreign_keys_and_checks_on_existing_tables_are_added_not_valid_then_validated():
    before = "CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (id int, p_id int, n int);\n"
    after = ("CREATE TABLE p (id int PRIMARY KEY);\n"
             "CREATE TABLE c (id int, p_id int REFERENCES p (id), n int CHECK (n > 0));\n"
             "CREATE TABLE fresh (id int, p_id int REFERENCES p (id), n int CHECK (n > 0));\n")
    up = [s.sql for s in diff(before, after).up]
    add_fk = position_of(up, "ALTER TABLE public.c ADD CONSTRAINT c_p_id_fkey FOREIGN KEY (p_id) "
                             "REFERENCES p(id) NOT VALID;")
    add_check = position_of(up, "ALTER TABLE public.c ADD CONSTRAINT c_n_check CHECK (n > 0) NOT VALID;")
    assert position_of(up, "ALTER TABLE public.c VALIDATE CONSTRAINT c_p_id_fkey;") > add_fk
    assert position_of(up, "ALTER TABLE public.c VALIDATE CONSTRAINT c_n_check;") > add_check
    fresh = [s for s in up if "public.fresh ADD CONSTRAINT" in s]
    assert len(fresh) == 2 and not any("NOT VALID" in s for s in fresh)
    assert not any("VALIDATE CONSTRAINT fresh" in s for s in up)


def position_of(statements: list[str], sql: str) -> int:
    assert sql in statements, f"{sql!r} not in:\n" + "\n".join(statements)
    return statements.index(sql)


def test_a_not_valid_foreign_key_stays_not_valid():
    sql = ("CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (p_id int);\n"
           "ALTER TABLE c ADD CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p(id) NOT VALID;\n")
    migration = diff("CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE c (p_id int);\n", sql)
    assert [s.sql for s in migration.up] == [
        "ALTER TABLE public.c ADD CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p(id) NOT VALID;"]


def test_a_type_change_without_a_cast_carries_a_commented_using():
    migration = diff("CREATE TABLE t (born int);", "CREATE TABLE t (born date);", allow_destructive=True)
    (statement,) = migration.up
    assert statement.sql == ("ALTER TABLE public.t ALTER COLUMN born TYPE date\n"
                             "    -- no cast from integer to date: converted through text; confirm this USING\n"
                             "    USING born::text::date;")
    assert statement.destructive == "public.t.born: integer to date may lose data or fail on existing rows"


def test_lock_timeout_is_set_at_the_top():
    migration = diff("CREATE TABLE t (a int);", "CREATE TABLE t (a int, b int);")
    assert migration.up_sql.splitlines()[:2] == ["SET LOCAL lock_timeout = '5s';",
                                                 "SET LOCAL check_function_bodies = off;"]
    assert migration.down_sql.startswith("SET LOCAL lock_timeout = '5s';\n")


def test_a_view_over_a_retyped_column_is_dropped_before_and_created_after():
    before = ("CREATE TABLE t (id int, amount int);\n"
              "CREATE VIEW big AS SELECT id, amount FROM t WHERE amount > 9;\n")
    after = before.replace("amount int", "amount bigint")
    up = [s.sql for s in diff(before, after).up]
    drop = position_of(up, "DROP VIEW public.big;")
    retype = position_of(up, "ALTER TABLE public.t ALTER COLUMN amount TYPE bigint;")
    assert drop < retype < starting(up, "CREATE VIEW public.big AS")


def test_a_view_keeping_its_columns_is_replaced_in_place():
    before = "CREATE TABLE t (id int, a int);\nCREATE VIEW v AS SELECT id, a FROM t WHERE a > 0;\n"
    up = [s.sql for s in diff(before, before.replace("a > 0", "a > 1")).up]
    assert len(up) == 1 and up[0].startswith("CREATE OR REPLACE VIEW public.v AS")


def test_a_function_a_policy_calls_is_created_before_the_policy():
    before = "CREATE TABLE t (id int, org int);\nALTER TABLE t ENABLE ROW LEVEL SECURITY;\n"
    after = before + ("CREATE FUNCTION my_org() RETURNS int LANGUAGE sql STABLE AS 'SELECT 1';\n"
                      "CREATE POLICY mine ON t USING (org = my_org());\n")
    up = [s.sql for s in diff(before, after).up]
    assert starting(up, "CREATE OR REPLACE FUNCTION public.my_org()") < starting(up, "CREATE POLICY mine")


def starting(statements: list[str], head: str) -> int:
    """The index of the first statement that starts with ``head``."""
    return next(i for i, s in enumerate(statements) if s.startswith(head))


def test_a_recreated_function_takes_its_policy_and_trigger_with_it():
    body = ("CREATE TABLE t (id int, org int);\nALTER TABLE t ENABLE ROW LEVEL SECURITY;\n"
            "CREATE FUNCTION my_org() RETURNS {0} LANGUAGE sql STABLE AS 'SELECT 1';\n"
            "CREATE POLICY mine ON t USING (org = my_org());\n")
    up = [s.sql for s in diff(body.format("int"), body.format("bigint")).up]
    assert position_of(up, "DROP POLICY mine ON public.t;") < position_of(up, "DROP FUNCTION public.my_org();")
    assert starting(up, "CREATE POLICY mine") > starting(up, "CREATE OR REPLACE FUNCTION public.my_org()")


def test_an_enum_label_is_added_first_outside_the_transaction():
    migration = diff("CREATE TYPE s AS ENUM ('a', 'c');\nCREATE TABLE t (s s DEFAULT 'a');",
                     "CREATE TYPE s AS ENUM ('a', 'b', 'c');\nCREATE TABLE t (s s DEFAULT 'b');")
    first = migration.up[0]
    assert first.sql == "ALTER TYPE public.s ADD VALUE 'b' AFTER 'a';" and not first.transactional
    assert migration.up_sql.startswith("ALTER TYPE public.s ADD VALUE 'b' AFTER 'a';\nSET LOCAL lock_timeout")
    assert "DROP TYPE public.s__old;" in migration.down_sql  # removing a label recreates the type


def test_an_enum_losing_a_label_is_recreated_with_a_note():
    migration = diff("CREATE TYPE s AS ENUM ('a', 'b');\nCREATE TABLE t (s s);",
                     "CREATE TYPE s AS ENUM ('a');\nCREATE TABLE t (s s);", allow_destructive=True)
    assert migration.notes == ("enum public.s: labels removed or reordered, so the type is recreated "
                               "and its columns converted through text",)
    assert [s.destructive for s in migration.destructive] == [
        "labels 'b' removed from public.s: rows holding them make the conversion fail"]


def test_an_enum_in_a_partition_key_is_left_with_a_note_rather_than_failing_sql():
    body = ("CREATE TYPE k AS ENUM ({});\n"
            "CREATE TABLE e (id int, k k NOT NULL) PARTITION BY LIST (k);\n")
    migration = diff(body.format("'a', 'b'"), body.format("'a'"), allow_destructive=True)
    assert not migration.up
    assert "the partition key of public.e uses it" in migration.notes[0]


def test_default_privileges_change_after_every_object_is_made():
    roles = "DO $$ BEGIN CREATE ROLE wb_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;\n"
    after = roles + ("ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO wb_reader;\n"
                     "CREATE TABLE t (id int);\n")
    up = [s.sql for s in diff(roles, after).up]
    assert up[-1] == "ALTER DEFAULT PRIVILEGES FOR ROLE postgres GRANT SELECT ON TABLES TO wb_reader;"
    assert "GRANT SELECT ON TABLE public.t TO wb_reader;" in up


def test_an_extension_cannot_go_back_a_version_so_it_is_recreated_with_a_note():
    migration = diff("CREATE EXTENSION pg_trgm VERSION '1.6';",
                     "CREATE EXTENSION pg_trgm VERSION '1.5';", allow_destructive=True)
    assert [s.sql for s in migration.up] == [
        "DROP EXTENSION pg_trgm;", "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public VERSION '1.5';"]
    assert "PostgreSQL cannot downgrade an extension" in migration.notes[0]
    assert [s.sql for s in diff("CREATE EXTENSION pg_trgm VERSION '1.5';",
                                "CREATE EXTENSION pg_trgm VERSION '1.6';").up] == [
        "ALTER EXTENSION pg_trgm UPDATE TO '1.6';"]


def test_a_pooled_database_comes_back_as_empty_as_a_new_one():
    import psycopg

    from workbench.diff.proof import admin_dsn
    from workbench.diff.scratch import fresh_database

    from_sql("CREATE CAST (varchar AS int4) WITH INOUT;\n"
             "CREATE TABLE t (id int);\nCREATE PUBLICATION leak FOR TABLE t;\n"
             "ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;\n")
    with fresh_database(admin_dsn(None)) as dsn, psycopg.connect(dsn) as conn:
        left = conn.execute("SELECT (SELECT count(*) FROM pg_publication), "
                            "(SELECT count(*) FROM pg_default_acl), "
                            "(SELECT count(*) FROM pg_cast WHERE castsource = 'varchar'::regtype "
                            "AND casttarget = 'int4'::regtype)").fetchone()
    assert left == (0, 0, 0)


def test_identical_snapshots_need_nothing():
    sql = "CREATE TABLE t (id int PRIMARY KEY);\nCREATE VIEW v AS SELECT id FROM t;\n"
    migration = diff_sql(from_sql(sql), from_sql(sql))
    assert not migration and migration.up_sql == "" and migration.down_sql == ""


# --- speed: two snapshots of a thousand tables, made by hand as the catalog prints them ----------

def thousand_tables(changed: bool) -> Schema:
    tables = []
    for i in range(1000):
        name, extra = f"t{i}", changed and i % 10 == 0
        columns = [Column("id", "integer", False), Column("name", "text", False),
                   Column("n", "bigint" if changed and i % 7 == 0 else "integer"),
                   Column("parent", "integer")]
        if extra:
            columns.append(Column("note", "text", comment="added"))
        constraints = [Constraint("app", name, f"{name}_pkey", "primary key", ("id",), "PRIMARY KEY (id)"),
                       Constraint("app", name, f"{name}_n_check", "check", ("n",),
                                  f"CHECK (n > {1 if extra else 0})")]
        if i:
            constraints.append(ForeignKey("app", name, f"{name}_parent_fkey", columns=("parent",),
                                          definition=f"FOREIGN KEY (parent) REFERENCES app.t{i - 1}(id)",
                                          ref_schema="app", ref_table=f"t{i - 1}", ref_columns=("id",)))
        indexes = [Index("app", name, f"{name}_pkey", "btree", ("id",),
                         f"CREATE UNIQUE INDEX {name}_pkey ON app.{name} USING btree (id)", unique=True,
                         primary=True, constraint=f"{name}_pkey"),
                   Index("app", name, f"{name}_name_idx", "btree", ("name",),
                         f"CREATE INDEX {name}_name_idx ON app.{name} USING btree "
                         f"({'lower(name)' if extra else 'name'})")]
        policies = [Policy("app", name, "own", "ALL", using=f"(parent > {2 if extra else 1})")] \
            if i % 5 == 0 else []
        tables.append(Table("app", name, "table", "postgres", tuple(columns), tuple(constraints),
                            tuple(indexes), tuple(policies), rls_enabled=bool(policies)))
    return Schema("db", "18.0", 180000, Objects(schemas=(Namespace("app", "postgres"),), tables=tuple(tables)))


def test_two_thousand_table_snapshots_diff_within_a_second():
    before, after = thousand_tables(False), thousand_tables(True)
    started = time.process_time()
    migration = diff_sql(before, after, allow_destructive=True)
    spent = time.process_time() - started
    assert len(migration.up) > 300 and len(migration.down) > 300
    assert spent <= 1.0, f"diff of two 1,000-table snapshots took {spent:.2f} s of CPU"


def test_a_unique_key_on_an_existing_table_is_built_concurrently_then_attached():
    before = "CREATE TABLE t (id int PRIMARY KEY, code text);\n"
    after = "CREATE TABLE t (id int PRIMARY KEY, code text UNIQUE);\n"
    migration = diff(before, after)
    assert [(s.sql, s.transactional) for s in migration.up] == [
        ("CREATE UNIQUE INDEX CONCURRENTLY t_code_key ON public.t (code);", False),
        ("ALTER TABLE public.t ADD CONSTRAINT t_code_key UNIQUE USING INDEX t_code_key;", True)]
    assert migration.verify().ok
