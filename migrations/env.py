"""Alembic environment: plain SQL revisions, one transaction per revision.

The database is `-x dsn=...`, else the DSN a caller put in the config attributes,
else WORKBENCH_DSN, else `sqlalchemy.url` in alembic.ini.
"""
from __future__ import annotations

import os
import sys
from logging.config import fileConfig

import psycopg
import sqlalchemy as sa
from alembic import context

config = context.config
if config.config_file_name and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def target_dsn() -> str:
    dsn = (context.get_x_argument(as_dictionary=True).get("dsn")
           or config.attributes.get("dsn")
           or os.environ.get("WORKBENCH_DSN")
           or config.get_main_option("sqlalchemy.url"))
    if not dsn:
        sys.exit("alembic: no database given: pass -x dsn=postgresql://..., "
                 "set WORKBENCH_DSN, or set sqlalchemy.url in alembic.ini")
    return dsn.replace("postgresql+psycopg://", "postgresql://", 1)


def run_offline() -> None:
    context.configure(url="postgresql://", literal_binds=True, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    dsn = target_dsn()
    engine = sa.create_engine("postgresql+psycopg://", creator=lambda: psycopg.connect(dsn),
                              poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
