"""Roster import and export from the File menu, run in the background with a summary at the end."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from agent_desk.services.roster import ImportReport, export_clients, import_clients

if TYPE_CHECKING:
    from agent_desk.ui.main_window import MainWindow

FILTERS = "花名册 (*.xlsx *.csv)"
MAX_LISTED = 30


def import_roster(window: MainWindow, path: Path | None = None, *, add_villages: bool = False) -> None:
    path = path or window.dialogs.open_file(window, window.tr("Import roster"), FILTERS)
    if path is None or window.desk is None:
        return
    desk = window.desk

    def work() -> ImportReport:
        with desk.db.session() as session:
            report = import_clients(path, session=session, actor="desk", add_villages=add_villages)
            session.commit()
        return report

    window.ops.run(work, on_done=lambda report: _imported(window, path, report),
                   on_failed=lambda exc: window.dialogs.failure(window, exc), owner=window)  # fmt: skip


def _offer_villages(window: MainWindow, path: Path, report: ImportReport) -> bool:
    """Rows naming villages this desk lacks: offer to add them (the list shown), then import again."""
    if not report.unknown_villages:
        return False
    names = "、".join(report.unknown_villages)
    question = window.tr(
        "The roster names villages this desk does not have yet: %1. Add them to this desk's "
        "township and import those rows?"
    ).replace("%1", names)
    if not window.dialogs.confirm(window, window.tr("Add villages"), question):
        return False
    import_roster(window, path, add_villages=True)
    return True


def _imported(window: MainWindow, path: Path, report: ImportReport) -> None:
    window.bus.notify("client")
    if _offer_villages(window, path, report):
        return
    lines = [report.summary_zh()]
    lines += [f"第 {row} 行：{reason}" for row, reason in report.refused[:MAX_LISTED]]
    if len(report.refused) > MAX_LISTED:
        lines.append(f"……另有 {len(report.refused) - MAX_LISTED} 行被拒绝")
    window.dialogs.info(window, window.tr("Roster imported: %1").replace("%1", path.name), "\n".join(lines))


def export_roster(window: MainWindow) -> None:
    from agent_desk.ui.main_window import default_export_name

    path = window.dialogs.save_file(window, window.tr("Export roster"), str(default_export_name()), FILTERS)
    if path is None or window.desk is None:
        return
    desk = window.desk
    full = window.dialogs.confirm(window, window.tr("Export roster"), window.tr(
        "Export full ID and phone numbers (needed to re-import the roster)? A full export is recorded in the audit trail. "
        "Answer No for a masked roster."))  # fmt: skip
    actor = window.actor_name()

    def work() -> int:
        with desk.db.session() as session:
            count = export_clients(path, session=session, full=full, actor=actor)
            session.commit()
            return count

    window.ops.run(work, on_done=lambda count: window.dialogs.info(
        window, window.tr("Roster exported"), f"已导出 {count} 人到 {path}"),
        on_failed=lambda exc: window.dialogs.failure(window, exc), owner=window)  # fmt: skip
