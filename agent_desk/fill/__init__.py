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
from agent_desk.fill.converters import ConverterChain, PdfConverter
from agent_desk.fill.manual import item_manual_fields, manual_fields
from agent_desk.fill.office_com import OfficeComConverter
from agent_desk.fill.pdf import LibreOfficeConverter, find_soffice
from agent_desk.fill.pdf_errors import PdfConversionFailed, PdfUnavailable
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
    "ConverterChain",
    "FillIncomplete",
    "LibreOfficeConverter",
    "MissingField",
    "OfficeComConverter",
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
