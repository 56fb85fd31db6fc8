"""Render .docx templates fast, safely and atomically.

docxtpl re-reads the template with python-docx, re-patches and re-compiles its XML on every
render. An agent prints the same few forms all day, so we do that once per template file and
keep the result: each render only runs the compiled Jinja template over the body (and headers
and footers) and zips the result with the untouched parts. The XML steps are docxtpl's own
(``patch_xml``, ``resolve_listing``, ``fix_tables``), so output matches docxtpl's. Autoescape is
always on, and a file appears under its name only when completely written.
"""

from __future__ import annotations

import copy
import hashlib
import io
import re
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Template, TemplateError
from lxml import etree

from agent_desk import atomic
from agent_desk.catalog.jinja import make_env
from agent_desk.catalog.lint import W, template_parts
from agent_desk.core.errors import DomainError

_DOCXTPL = DocxTemplate("unused")  # its XML helpers do not use instance state
_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
_CACHE_LIMIT = 256
Write = Callable[[Path, bytes], None]  # how a finished document reaches the disk


class RenderFailed(DomainError):
    """A template that cannot be rendered (missing, corrupt, or failing in Jinja)."""


@dataclass(frozen=True)
class _Part:
    """One rendered XML part: the compiled template and, for the body, the document shell."""

    template: Template
    shell: etree._Element | None = None  # w:document without its body
    body_index: int = 0


@dataclass(frozen=True)
class CompiledTemplate:
    """A template parsed once: its untouched zip entries and compiled renderable parts."""

    entries: tuple[tuple[zipfile.ZipInfo, bytes], ...]
    parts: dict[str, _Part]

    def render_bytes(self, context: dict[str, Any]) -> bytes:
        """The finished .docx for ``context``, in memory."""
        rendered = {name: _render_part(name, part, context) for name, part in self.parts.items()}
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for info, data in self.entries:
                archive.writestr(_fresh_info(info), rendered.get(info.filename, data))
        return buffer.getvalue()


def _fresh_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    fresh = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    fresh.compress_type = zipfile.ZIP_DEFLATED
    fresh.external_attr = info.external_attr
    return fresh


def _render_part(name: str, part: _Part, context: dict[str, Any]) -> bytes:
    try:
        xml = part.template.render(context)  # compiled by make_env(): Environment(autoescape=True)
    except TemplateError as exc:
        raise RenderFailed(
            f"模板渲染出错（{name}）：{exc}", code="render_error", message_en=str(exc)
        ) from exc
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    xml = _DOCXTPL.resolve_listing(xml)
    if part.shell is None:
        return xml.encode("utf-8")
    return _document_bytes(part, xml)


def _document_bytes(part: _Part, body_xml: str) -> bytes:
    body = _DOCXTPL.fix_tables(body_xml)
    for number, drawing in enumerate(body.iter(_DOCPR), start=1001):
        drawing.set("id", str(number))  # as docxtpl does: loops would repeat drawing ids
    assert part.shell is not None
    root = copy.deepcopy(part.shell)
    root.insert(part.body_index, body)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def compile_template(path: Path) -> CompiledTemplate:
    """Parse, patch and compile a template once (RenderFailed if it cannot be)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(template_parts(archive))
            entries = tuple((info, archive.read(info)) for info in archive.infolist())
    except FileNotFoundError:
        raise RenderFailed(f"模板文件不存在：{path}", code="template_missing") from None
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise RenderFailed(f"模板文件损坏：{path}（{exc}）", code="template_corrupt") from None
    data = {info.filename: blob for info, blob in entries}
    if "word/document.xml" not in data:
        raise RenderFailed(
            f"模板文件损坏：{path}（缺少 word/document.xml）", code="template_corrupt"
        )
    try:
        parts = {name: _compile_part(name, data[name]) for name in sorted(names) if name in data}
    except (etree.XMLSyntaxError, TemplateError) as exc:
        raise RenderFailed(f"模板无法解析：{path}（{exc}）", code="template_corrupt") from None
    return CompiledTemplate(entries, parts)


def _compile_part(name: str, data: bytes) -> _Part:
    root = etree.fromstring(data)
    if name != "word/document.xml":
        return _Part(_compile_xml(etree.tostring(root, encoding="unicode")))
    body = root.find(f"{W}body")
    if body is None:
        raise RenderFailed("模板文件损坏：word/document.xml 没有正文", code="template_corrupt")
    index = root.index(body)
    xml = etree.tostring(body, encoding="unicode")
    root.remove(body)
    return _Part(_compile_xml(xml), root, index)


def _compile_xml(xml: str) -> Template:
    source = _DOCXTPL.patch_xml(xml)
    source = re.sub(r"<w:p([ >])", r"\n<w:p\1", source)
    return make_env().from_string(source)


class TemplateCache:
    """Compiled templates by path, recompiled when the file changes on disk."""

    def __init__(self, limit: int = _CACHE_LIMIT) -> None:
        self._lock = threading.Lock()
        self._limit = limit
        self._items: dict[Path, tuple[tuple[int, int], CompiledTemplate]] = {}

    def get(self, path: Path | str) -> CompiledTemplate:
        path = Path(path).resolve()
        stamp = _stamp(path)
        with self._lock:
            hit = self._items.get(path)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        compiled = compile_template(path)
        with self._lock:
            if len(self._items) >= self._limit:
                self._items.pop(next(iter(self._items)))
            self._items[path] = (stamp, compiled)
        return compiled

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise RenderFailed(f"模板文件不存在：{path}", code="template_missing") from None
    return stat.st_mtime_ns, stat.st_size


TEMPLATES = TemplateCache()


def render(
    template_path: Path | str,
    context: dict[str, Any],
    out_path: Path | str,
    *,
    cache: TemplateCache = TEMPLATES,
    write: Write | None = None,
    mark: Callable[[bytes], bytes] | None = None,
) -> str:
    """Render one document to ``out_path``; returns the sha256 of the document (before any sealing).

    ``write`` puts the bytes on disk: atomically by default, sealed on an encrypted desk
    (``store.sealed.writer_for``); ``mark`` stamps it first (a demo desk's 演示数据).
    """
    data = cache.get(template_path).render_bytes(context)
    if mark is not None:
        data = mark(data)
    (write or write_atomic)(Path(out_path), data)
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Never a half-written file (agent_desk.atomic: temp file, fsync, rename, folder fsync)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_bytes(path, data)


def bare_docxtpl_render(
    template_path: Path | str, context: dict[str, Any], out_path: Path | str
) -> None:
    """The baseline the benchmark compares with: plain docxtpl render-and-save, no cache."""
    document = DocxTemplate(str(template_path))
    document.render(context, jinja_env=make_env(), autoescape=True)
    document.save(str(out_path))
