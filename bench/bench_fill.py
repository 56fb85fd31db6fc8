"""Form filling: one two-page form against bare docxtpl, a batch of 200, PDF per document in a batch."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from common import Row, percentiles, timed

from agent_desk.catalog import default_catalog_dir, load_catalog
from agent_desk.fill import (
    LibreOfficeConverter,
    RenderJob,
    bare_docxtpl_render,
    find_soffice,
    render,
    render_batch,
)
from agent_desk.fill.demo import demo_context

TWO_PAGE = (
    "62052400MZ-JF-0001",
    "application",
)  # 最低生活保障申请书: two A4 pages with household table


def _one_form(catalog, out: Path) -> list[Row]:
    template, context = demo_context(catalog, *TWO_PAGE)
    render(template, context, out / "warm.docx")
    ours = [
        timed(lambda i=i: render(template, context, out / f"ours-{i}.docx")) * 1000
        for i in range(30)
    ]
    bare = [
        timed(lambda i=i: bare_docxtpl_render(template, context, out / f"bare-{i}.docx")) * 1000
        for i in range(30)
    ]
    p50, _ = percentiles(ours)
    b50, _ = percentiles(bare)
    return [
        Row(
            "one two-page form (低保申请书), median",
            p50,
            "ms",
            "≤ 60 ms and ≤ 1.2× bare docxtpl",
            p50 <= 60 and p50 <= 1.2 * b50,
            b50,
        )
    ]


def _jobs(catalog, out: Path, count: int) -> list[RenderJob]:
    forms = [(code, form.id) for code, item in catalog.items.items() for form in item.forms]
    jobs = []
    for i in range(count):
        template, context = demo_context(catalog, *forms[i % len(forms)])
        jobs.append(RenderJob(template, context, out / f"batch-{i:03d}.docx", str(i)))
    return jobs


def _batch(catalog, out: Path, count: int) -> list[Row]:
    started = time.perf_counter()
    jobs = _jobs(catalog, out, count)  # contexts are part of the work an agent waits for
    result = render_batch(jobs)
    elapsed = time.perf_counter() - started
    assert not result.failed, result.failed
    template, context = demo_context(catalog, *TWO_PAGE)
    base = (
        timed(
            lambda: [
                bare_docxtpl_render(template, context, out / f"bare-b{i}.docx") for i in range(20)
            ]
        )
        * count
        / 20
    )
    return [
        Row(
            f"{count} forms in a batch (all items' forms)",
            elapsed,
            "s",
            "≤ 12 s",
            elapsed <= 12,
            base,
        )
    ]


def _pdf(catalog, out: Path, count: int) -> list[Row]:
    if find_soffice() is None:
        return [
            Row(
                "PDF per document in a batch (LibreOffice not installed: skipped)",
                0,
                "s",
                "≤ 0.7 s",
                True,
            )
        ]
    docs = sorted(out.glob("batch-*.docx"))[:count]
    with LibreOfficeConverter() as converter:
        start_up = timed(lambda: converter.convert(docs[:1], out / "pdf-warm"))
        batch = timed(lambda: converter.convert(docs, out / "pdf"))
    per_doc = batch / len(docs)
    return [
        Row(
            f"PDF per document in a batch of {len(docs)} (after a {start_up:.1f} s start-up)",
            per_doc,
            "s",
            "≤ 0.7 s",
            per_doc <= 0.7,
            start_up,
        )
    ]


def run(quick: bool) -> list[Row]:
    catalog = load_catalog(default_catalog_dir())
    out = Path(tempfile.mkdtemp(prefix="bench-fill-"))
    try:
        return (
            _one_form(catalog, out)
            + _batch(catalog, out, 200)
            + _pdf(catalog, out, 10 if quick else 30)
        )
    finally:
        shutil.rmtree(out, ignore_errors=True)
