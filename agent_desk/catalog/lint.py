"""Template lint: what makes a .docx template print wrong, found before anyone prints it.

Word splits ``{{ name }}`` across runs when a clerk edits around it, and turns straight quotes
into smart ones; a variable missing from the field map renders as a blank. Each problem is
reported with the paragraph number as the "line" (``[word/header1.xml]`` noted for other parts).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import TemplateError, meta, nodes
from lxml import etree

from agent_desk.catalog.fields import Shape
from agent_desk.catalog.jinja import make_env

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
LOOSE = re.compile(r"\{\{|\{%|\}\}|%\}")
SMART_QUOTES = "“”‘’„‟＂＇«»「」『』"
MARK = re.compile(r"\{#P(\d+)#\}")
_PATCHER = DocxTemplate("unused")  # patch_xml is stateless; one instance serves every lint


@dataclass(frozen=True)
class RawTag:
    paragraph: int
    text: str


@dataclass
class PartScan:
    """What the lint learnt from one XML part of a template."""

    name: str
    findings: list[tuple[int, str]] = field(default_factory=list)
    tags: list[RawTag] = field(default_factory=list)
    ast: nodes.Template | None = None

    def where(self, paragraph: int) -> tuple[int, str]:
        prefix = "" if self.name == "word/document.xml" else f"[{self.name}] "
        return paragraph, prefix

    def paragraph_of(self, name: str) -> int:
        """First paragraph whose tags mention ``name`` (for 'undeclared variable' messages)."""
        pattern = re.compile(rf"\b{re.escape(name)}\b")
        return next((tag.paragraph for tag in self.tags if pattern.search(tag.text)), 1)


def template_parts(archive: zipfile.ZipFile) -> list[str]:
    """The parts docxtpl renders: body, headers, footers, footnotes."""
    names = archive.namelist()
    extra = [
        n for n in names if re.fullmatch(r"word/(header|footer)\d*\.xml|word/footnotes\.xml", n)
    ]
    return ["word/document.xml", *sorted(extra)]


def scan_template(path: Path) -> tuple[list[PartScan], str | None]:
    """Scan every part; the second value is a message when the file is missing or corrupt."""
    try:
        with zipfile.ZipFile(path) as archive:
            if "word/document.xml" not in archive.namelist():
                return [], "模板文件损坏：缺少 word/document.xml"
            return [scan_part(name, archive.read(name)) for name in template_parts(archive)], None
    except FileNotFoundError:
        return [], "模板文件不存在"
    except (zipfile.BadZipFile, OSError) as exc:
        return [], f"模板文件损坏，不是有效的 .docx：{exc}"
    except etree.XMLSyntaxError as exc:
        return [], f"模板文件损坏，XML 无法解析：{exc}"


def scan_part(name: str, data: bytes) -> PartScan:
    scan = PartScan(name)
    root = etree.fromstring(data)
    for number, paragraph in enumerate(root.iter(f"{W}p"), start=1):
        _scan_paragraph(scan, number, paragraph)
    _parse_jinja(scan, etree.tostring(root, encoding="unicode"))
    return scan


def _own_texts(paragraph: etree._Element) -> list[str]:
    """Text of the paragraph's own w:t elements (not those of nested text-box paragraphs)."""
    texts = []
    for node in paragraph.iter(f"{W}t"):
        owner = next(node.iterancestors(f"{W}p"), None)
        if owner is paragraph:
            texts.append(node.text or "")
    return texts


def _scan_paragraph(scan: PartScan, number: int, paragraph: etree._Element) -> None:
    texts = _own_texts(paragraph)
    joined = "".join(texts)
    if "{" not in joined and "}" not in joined:
        return
    bounds = _run_bounds(texts)
    for match in TAG.finditer(joined):
        scan.tags.append(RawTag(number, match.group()))
        _check_tag(scan, number, match, bounds)
    leftover = LOOSE.search(TAG.sub("", joined))
    if leftover:
        scan.findings.append(
            (number, f"标签不完整：{leftover.group()} 没有配对（同一段落内必须闭合）")
        )


def _run_bounds(texts: list[str]) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for text in texts:
        bounds.append((start, start + len(text)))
        start += len(text)
    return bounds


def _check_tag(
    scan: PartScan, number: int, match: re.Match[str], bounds: list[tuple[int, int]]
) -> None:
    tag = match.group()
    if not any(lo <= match.start() and match.end() <= hi for lo, hi in bounds):
        scan.findings.append(
            (number, f"标签 {tag} 被 Word 拆分到多个文字块（runs），请删除后一次性重新输入")
        )
    quotes = sorted({ch for ch in tag if ch in SMART_QUOTES})
    if quotes:
        scan.findings.append(
            (number, f"标签 {tag} 中有中文/弯引号 {''.join(quotes)}，请改为英文直引号")
        )


def _parse_jinja(scan: PartScan, xml: str) -> None:
    counter = iter(range(1, 1_000_000))
    marked = re.sub(r"<w:p([ >])", lambda m: f"\n{{#P{next(counter)}#}}<w:p{m.group(1)}", xml)
    source = _PATCHER.patch_xml(marked)
    env = make_env()
    try:
        scan.ast = env.parse(source)
        env.compile(scan.ast)  # unknown filters and tests only show up when compiling
    except TemplateError as exc:
        scan.ast = None
        line = getattr(exc, "lineno", None) or 1
        scan.findings.append((_paragraph_at(scan, source, line), f"Jinja 语法错误：{exc.message}"))


def _paragraph_at(scan: PartScan, source: str, lineno: int) -> int:
    """Paragraph of a Jinja error line: by the tag on that line, else by the nearest marker.

    docxtpl removes whole rows and paragraphs around ``{%tr``/``{%p`` tags (markers included),
    so the tag text itself is the more reliable way back to the paragraph.
    """
    lines = source.split("\n")[:lineno]
    on_line = {
        _normal(tag) for tag in TAG.findall(re.sub(r"<[^>]+>", "", lines[-1] if lines else ""))
    }
    for raw in scan.tags:
        if _normal(raw.text) in on_line:
            return raw.paragraph
    for line in reversed(lines):
        marks = MARK.findall(line)
        if marks:
            return int(marks[-1])
    return 1


def _normal(tag: str) -> str:
    """A tag as patch_xml leaves it: ``{%tr for …%}`` → ``{% for …%}``, spaces dropped."""
    tag = re.sub(r"^\{%-?\s*(tr|tc|p|r)\s", "{% ", tag)
    return re.sub(r"\s+", "", tag)


def used_variables(scans: list[PartScan]) -> set[str]:
    used: set[str] = set()
    for scan in scans:
        if scan.ast is not None:
            used |= meta.find_undeclared_variables(scan.ast)
    return used


def attribute_findings(scan: PartScan, shapes: dict[str, Shape]) -> Iterator[tuple[int, str]]:
    """``m.nmae`` inside ``for m in members`` or ``spouse.nmae`` would print blank: catch it."""
    if scan.ast is None:
        return
    for owner, attr, keys in _attribute_uses(scan.ast, shapes):
        if attr not in keys:
            known = "、".join(sorted(keys))
            paragraph = scan.paragraph_of(f"{owner}.{attr}")
            yield paragraph, f"{owner}.{attr}：没有 {attr} 这一项，可用：{known}"


def _attribute_uses(
    ast: nodes.Template, shapes: dict[str, Shape]
) -> Iterator[tuple[str, str, frozenset[str]]]:
    rows = {name: s.keys for name, s in shapes.items() if s.kind == "row"}
    for name, keys in rows.items():
        yield from ((name, attr, keys) for attr in _attrs_of(ast, name))
    for loop in ast.find_all(nodes.For):
        if isinstance(loop.target, nodes.Name) and isinstance(loop.iter, nodes.Name):
            shape = shapes.get(loop.iter.name)
            if shape is not None and shape.kind == "rows":
                for body in loop.body:
                    yield from (
                        (loop.target.name, a, shape.keys) for a in _attrs_of(body, loop.target.name)
                    )


def _attrs_of(node: nodes.Node, name: str) -> Iterator[str]:
    for getattr_node in node.find_all(nodes.Getattr):
        target = getattr_node.node
        if isinstance(target, nodes.Name) and target.name == name:
            yield getattr_node.attr
