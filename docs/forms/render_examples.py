"""Regenerate the PNGs in docs/forms: demo profile → .docx → PDF (LibreOffice, WPS or Word) → PNG (PDFium, 80 dpi).

Run: .venv/bin/python docs/forms/render_examples.py   (needs a converter: `make sysdeps` installs LibreOffice)
"""

from __future__ import annotations

import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from agent_desk.catalog import default_catalog_dir, load_catalog
from agent_desk.fill import ConverterChain, build_context, render
from agent_desk.fill.demo import DEMO_TODAY, demo_agent, demo_case, demo_client
from agent_desk.fill.pages import render_pages

HERE = Path(__file__).resolve().parent

EXAMPLES = {
    ("62052400MZ-JF-0001", "application"): {
        "apply_type": "农村低保", "apply_mode": "整户申请", "annual_income": Decimal("18600"),
        "health": "慢性病", "assets": "砖木结构住房一处（约90平方米），无车辆，存款约3000元",
        "reason": "本人年老体弱，患高血压多年，配偶肢体三级残疾，儿子外出务工收入不稳定，"
                  "孙子在校读书，家庭收入难以维持基本生活，特申请最低生活保障。",
    },
    ("62052400NY-XK-0001", "application"): {
        "current_site_area": "160", "current_floor_area": "96", "current_cert_no": "武集用（2003）第0452号",
        "current_disposal": "退还", "site_area": "150", "footprint_area": "120",
        "site_location": "三组后湾", "east": "李建华宅", "south": "村道", "west": "王彦平宅", "north": "集体荒坡",
        "land_type": "建设用地", "build_type": "异址新建", "floor_area": "180", "floors": 2, "height": "7.2",
        "neighbours_consulted": True,
        "reason": "现住房为1983年所建土坯房，经鉴定为危房，且位于滑坡隐患点，申请异址新建。",
    },
}  # fmt: skip


def write_png(page, path: Path) -> None:  # noqa: ANN001  (fill.pages.PageImage)
    from PySide6.QtGui import QImage

    QImage(page.pixels, page.width, page.height, page.stride, QImage.Format.Format_RGB888).save(str(path))


def main() -> int:
    catalog = load_catalog(default_catalog_dir())
    client, agent = demo_client(), demo_agent()
    with tempfile.TemporaryDirectory() as scratch:
        docs = []
        for (code, form_id), manual in EXAMPLES.items():
            item = catalog.item(code)
            form = next(f for f in item.forms if f.id == form_id)
            context = build_context(item, form, client, demo_case(item), agent, manual, DEMO_TODAY)
            docs.append(Path(scratch) / f"{code}-{form_id}.docx")
            render(catalog.template_path(form), context, docs[-1])
        with ConverterChain() as converter:
            pdfs = converter.convert(docs, scratch)
        for pdf in pdfs:
            for number, page in enumerate(render_pages(pdf.read_bytes(), 80, pdf.name), start=1):
                write_png(page, HERE / f"{pdf.stem}-{number}.png")
            print(f"wrote docs/forms/{pdf.stem}-*.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
