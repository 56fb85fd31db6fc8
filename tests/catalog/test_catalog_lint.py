"""The template lint: split tags, smart quotes, Jinja errors, undeclared/unused variables, corrupt files."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from agent_desk.catalog.check import check_catalog, main
from agent_desk.catalog.lint import W, scan_template

DIBAO = "templates/items/62052400MZ-JF-0001/application.docx"
OLD_AGE = "templates/items/62052400MZ-JF-0003/application.docx"


def docx_with_runs(path: Path, *paragraphs: list[str]) -> Path:
    """A .docx whose paragraphs consist of exactly the given runs."""
    document = Document()
    for runs in paragraphs:
        paragraph = document.add_paragraph()
        for text in runs:
            paragraph.add_run(text)
    document.save(str(path))
    return path


def edit_xml(path: Path, old: str, new: str) -> int:
    """Replace text in word/document.xml; return the 1-based paragraph number of the edit."""
    with zipfile.ZipFile(path) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    xml = entries["word/document.xml"].decode("utf-8")
    assert old in xml, f"test setup: {old!r} not in template"
    xml = xml.replace(old, new, 1)
    entries["word/document.xml"] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    root = etree.fromstring(entries["word/document.xml"])
    probe = re.sub(r"<[^>]+>", "", new)
    for number, paragraph in enumerate(root.iter(f"{W}p"), start=1):
        if probe in "".join(t.text or "" for t in paragraph.iter(f"{W}t")):
            return number
    raise AssertionError("edited paragraph not found")


def only(problems: list, file_part: str) -> list:
    return [p for p in problems if file_part in p.file]


def test_split_tag_is_caught(tmp_path: Path) -> None:
    path = docx_with_runs(tmp_path / "t.docx", ["fine {{ ok }}"], ["姓名：", "{{ na", "me }}"])
    [scan], broken = scan_template(path)
    assert broken is None
    assert scan.findings == [
        (2, "标签 {{ name }} 被 Word 拆分到多个文字块（runs），请删除后一次性重新输入")
    ]


def test_split_with_word_proofing_marks_is_caught(tree: Path) -> None:
    """Word splits around spelling marks: <w:proofErr/> between runs of one tag."""
    template = tree / OLD_AGE
    split = '{{ to</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t>day }}'
    paragraph = edit_xml(template, "申请日期：{{ today }}", "申请日期：" + split)
    problems = only(check_catalog(tree), "62052400MZ-JF-0003/application.docx")
    assert [(p.line, "拆分" in p.message) for p in problems] == [(paragraph, True)]


def test_smart_quotes_are_caught(tmp_path: Path) -> None:
    path = docx_with_runs(tmp_path / "t.docx", ["{{ sex|box(‘男’) }}男 {{ sex|box(“女”) }}女"])
    [scan], _ = scan_template(path)
    assert [line for line, _ in scan.findings] == [1, 1]
    assert "‘’" in scan.findings[0][1] and "“”" in scan.findings[1][1]


def test_unclosed_tag_is_caught(tmp_path: Path) -> None:
    path = docx_with_runs(tmp_path / "t.docx", ["a"], ["b"], ["{{ name "])
    [scan], _ = scan_template(path)
    assert any(line == 3 and "不完整" in message for line, message in scan.findings)


def test_jinja_syntax_error_names_the_paragraph(tree: Path) -> None:
    paragraph = edit_xml(tree / OLD_AGE, "村：{{ village }}", "村：{{ village | }}")
    problems = only(check_catalog(tree), "62052400MZ-JF-0003/application.docx")
    assert [(p.line, "Jinja 语法错误" in p.message) for p in problems] == [(paragraph, True)]


def test_jinja_error_in_a_row_loop_tag(tree: Path) -> None:
    paragraph = edit_xml(tree / DIBAO, "{%tr for m in members %}", "{%tr for m in %}")
    problems = only(check_catalog(tree), "62052400MZ-JF-0001/application.docx")
    assert [p.line for p in problems] == [paragraph] and "Jinja" in problems[0].message


def test_undeclared_variable_and_unused_field(tree: Path) -> None:
    paragraph = edit_xml(tree / OLD_AGE, "{{ township }}", "{{ nickname }}")
    problems = check_catalog(tree)
    undeclared = only(problems, "62052400MZ-JF-0003/application.docx")
    assert [(p.line, "nickname" in p.message) for p in undeclared] == [(paragraph, True)]
    unused = only(problems, "62052400MZ-JF-0003.yaml")
    text = (tree / "forms/items/62052400MZ-JF-0003.yaml").read_text(encoding="utf-8")
    line = next(
        n for n, row in enumerate(text.splitlines(), 1) if row.strip().startswith("township:")
    )
    assert [(p.line, "township" in p.message) for p in unused] == [(line, True)]


def test_unknown_member_attribute_in_a_loop(tree: Path) -> None:
    paragraph = edit_xml(tree / DIBAO, "{{ m.relation }}", "{{ m.relaton }}")
    [problem] = only(check_catalog(tree), "62052400MZ-JF-0001/application.docx")
    assert (
        problem.line == paragraph
        and "m.relaton" in problem.message
        and "relation" in problem.message
    )


def test_unknown_filter_is_caught(tmp_path: Path) -> None:
    path = docx_with_runs(tmp_path / "t.docx", ["x"], ["{{ name|shout }}"])
    [scan], _ = scan_template(path)
    assert scan.findings and scan.findings[0][0] == 2 and "shout" in scan.findings[0][1]


def test_corrupt_docx_is_reported_and_items_still_load(tree: Path) -> None:
    (tree / OLD_AGE).write_bytes(b"PK\x03\x04 this is not a zip")
    problems = check_catalog(tree)
    assert [(Path(p.file).name, p.line) for p in problems] == [("application.docx", 1)]
    assert (
        "62052400MZ-JF-0003/application.docx" in problems[0].file and "损坏" in problems[0].message
    )


@pytest.mark.parametrize("content", [b"", b"not a zip at all"])
def test_scan_reports_unreadable_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.docx"
    path.write_bytes(content)
    scans, broken = scan_template(path)
    assert scans == [] and broken is not None and "损坏" in broken


def test_check_main_clean_and_dirty(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tree)]) == 0
    out = capsys.readouterr().out
    assert "目录检查通过：18 个事项，3 个一件事，22 个模板，无问题" in out
    edit_xml(tree / OLD_AGE, "{{ township }}", "{{ townsh‘ip }}")
    assert main([str(tree / "forms")]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines and all(re.match(r"^\S+:\d+: \S", line) for line in lines), lines
