"""The 演示数据 stamp on every document a demo desk prints: a red line at the top of the body."""

from __future__ import annotations

import io
import re
import zipfile

DOCUMENT = "word/document.xml"
STAMP = "【演示数据】样例信息，不是真实办件，不能作为正式材料"
_PARAGRAPH = (
    '<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/><w:color w:val="C00000"/>'
    '<w:sz w:val="28"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
)
_BODY = re.compile(rb"<w:body(\s[^>]*)?>")


def stamp_demo(docx: bytes, text: str = STAMP) -> bytes:
    """``docx`` with ``text`` as its first paragraph, every other part unchanged."""
    paragraph = _PARAGRAPH.format(text=text).encode("utf-8")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == DOCUMENT:
                data = _BODY.sub(lambda m: m.group(0) + paragraph, data, count=1)
            target.writestr(info, data)
    return out.getvalue()
