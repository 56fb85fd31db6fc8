"""Form filling: context from a profile, every missing field up front, fast atomic rendering, PDF."""

from agent_desk.fill.batch import BatchResult, RenderedDocument, RenderJob, render_batch
from agent_desk.fill.context import (
    BatchEntry,
    FillIncomplete,
    MissingField,
    build_batch_context,
    build_context,
    build_context_with_blanks,
    check_batch_fill,
    check_fill,
)
from agent_desk.fill.manual import item_manual_fields, manual_fields
from agent_desk.fill.pdf import PdfConversionFailed, PdfConverter, PdfUnavailable, find_soffice
from agent_desk.fill.render import (
    TEMPLATES,
    RenderFailed,
    TemplateCache,
    bare_docxtpl_render,
    compile_template,
    render,
)

__all__ = [
    "TEMPLATES",
    "BatchEntry",
    "BatchResult",
    "FillIncomplete",
    "MissingField",
    "PdfConversionFailed",
    "PdfConverter",
    "PdfUnavailable",
    "RenderFailed",
    "RenderJob",
    "RenderedDocument",
    "TemplateCache",
    "bare_docxtpl_render",
    "build_batch_context",
    "build_context",
    "build_context_with_blanks",
    "check_batch_fill",
    "check_fill",
    "compile_template",
    "find_soffice",
    "item_manual_fields",
    "manual_fields",
    "render",
    "render_batch",
]
