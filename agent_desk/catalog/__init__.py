"""The service catalog: items, their required documents and forms, loaded from forms/ and templates/."""

from agent_desk.catalog.loader import (
    COMMON,
    Catalog,
    FormSource,
    Problem,
    default_catalog_dir,
    load_catalog,
)
from agent_desk.catalog.schema import (
    TYPE_CODES,
    CatalogMeta,
    Fee,
    FieldSpec,
    FormSpec,
    RequiredDocument,
    ServiceItem,
)

__all__ = [
    "COMMON",
    "TYPE_CODES",
    "Catalog",
    "CatalogMeta",
    "Fee",
    "FieldSpec",
    "FormSource",
    "FormSpec",
    "Problem",
    "RequiredDocument",
    "ServiceItem",
    "default_catalog_dir",
    "load_catalog",
]
