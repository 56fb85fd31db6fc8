"""Alembic environment: the engine comes from the caller (db.upgrade), never from a config file."""

from alembic import context
from sqlmodel import SQLModel

import agent_desk.store.models  # noqa: F401  (registers the tables)
import agent_desk.store.sync_state  # noqa: F401

target_metadata = SQLModel.metadata
config = context.config


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from sqlalchemy import create_engine

        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
        )
        context.run_migrations()


run_migrations_online()
