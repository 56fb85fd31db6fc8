"""The desk's SQL tables behind each synced entity (the desk side only; the hub stores JSON records)."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Table, TypeDecorator

from agent_desk.protocol.wire import SKIPPED, SYNCED_ENTITIES
from agent_desk.store import models as desk_models


@cache
def entity_table(entity: str) -> Table:
    if entity not in SYNCED_ENTITIES:
        raise KeyError(entity)
    return desk_models.SQLModel.metadata.tables[entity]


@cache
def entity_model(entity: str) -> type[desk_models.SQLModel]:
    for mapper in desk_models.SQLModel._sa_registry.mappers:  # type: ignore[attr-defined]
        if getattr(mapper.class_, "__tablename__", None) == entity:
            return mapper.class_  # type: ignore[no-any-return]
    raise KeyError(entity)


@cache
def entity_fields(entity: str) -> dict[str, Any]:
    """Column name → SQL type for the fields an op may carry."""
    return {
        c.name: _base_type(c.type) for c in entity_table(entity).columns if c.name not in SKIPPED
    }


def _base_type(sql_type: Any) -> Any:
    """The underlying type of a decorated one (SQLModel's UTCDateTime is a DateTime underneath)."""
    return sql_type.impl_instance if isinstance(sql_type, TypeDecorator) else sql_type
