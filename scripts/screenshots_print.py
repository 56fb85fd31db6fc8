"""`make screenshots` (print part): the print preview of a case's whole set and of the landscape hand-over list.

A small demo desk, one case's four documents converted by LibreOffice and drawn by PDFium, in Qt's
preview as the agent sees it (fit-width), offscreen, into docs/screenshots/.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "bench"))

from bench_print import _desk  # noqa: E402
from screenshots import settle, shoot  # noqa: E402

from agent_desk.fill import ConverterChain  # noqa: E402
from agent_desk.services.printing import batch_set, case_set, prepare_set  # noqa: E402
from agent_desk.ui.app import install_translators, make_app  # noqa: E402
from agent_desk.ui.printing import MAX_PREVIEW_DPI, prepare_job, preview_dialog, summary  # noqa: E402


def preview(app, papers, out: Path) -> None:
    job = prepare_job(
        papers, MAX_PREVIEW_DPI
    )  # what a 1920-pixel screen gets (ui/printing.preview_dpi)
    dialog = preview_dialog(None, job, f"{job.title} — {summary(job)}")
    dialog.resize(1100, 820)
    dialog.show()
    settle(app, 1.0)
    shoot(dialog, out)
    dialog.close()


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = make_app()
    install_translators(app, "zh_CN")
    with tempfile.TemporaryDirectory() as tmp, ConverterChain() as converter:
        desk, case_id, batch_id, data = _desk(Path(tmp))
        with desk.db.session() as session:
            whole, batch = (
                case_set(session, case_id, data.documents),
                batch_set(session, batch_id, data.documents),
            )
        preview(app, prepare_set("全套", whole, converter), out / "print-preview-set.png")
        preview(
            app, prepare_set(batch[0][0], batch[:1], converter), out / "print-preview-handover.png"
        )
        desk.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
