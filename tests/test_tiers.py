import psycopg


def test_each_tier_is_a_real_server(server):
    with psycopg.connect(server) as conn:
        version = conn.info.server_version
    assert version >= 150000


def test_scratch_database_is_empty(scratch_dsn):
    with psycopg.connect(scratch_dsn) as conn:
        count = conn.execute(
            "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace "
            "where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')"
        ).fetchone()[0]
    assert count == 0
