"""Alembic environment of the hub: its own metadata and version table, engine from the caller."""

from alembic import context

from agent_desk.server.db import VERSION_TABLE
from agent_desk.server.tables import metadata

config = context.config


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from sqlalchemy import create_engine

        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=True,
            compare_type=True,
            version_table=VERSION_TABLE,
        )
        context.run_migrations()


run_migrations_online()
