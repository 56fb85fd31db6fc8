"""Roster import and export from the File menu, run in the background with a summary at the end."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from agent_desk.services.roster import ImportReport, export_clients, import_clients

if TYPE_CHECKING:
    from agent_desk.ui.main_window import MainWindow

MAX_LISTED = 30
translate = (
    QCoreApplication.translate
)  # lupdate reads translate("RosterActions", "…"): one context for this module


def _filters(patterns: str) -> str:
    return translate("RosterActions", "Roster (%1)").replace("%1", patterns)


def import_roster(
    window: MainWindow,
    path: Path | None = None,
    *,
    confirm_truncated: bool = False,
    add_villages: bool = False,
) -> None:
    """Import in the background with the row count in the status bar; held rows are asked about after."""
    if path is None:
        path = window.dialogs.open_file(
            window,
            translate("RosterActions", "Import roster"),
            _filters("*.xlsx *.xlsm *.xls *.et *.csv"),
        )
    if path is None or window.desk is None:
        return
    desk, chosen = window.desk, path

    def work(progress: object) -> ImportReport:
        with desk.db.session() as session:
            report = import_clients(
                chosen,
                session=session,
                actor="desk",
                progress=progress,  # type: ignore[arg-type]
                confirm_truncated=confirm_truncated,
                add_villages=add_villages,
            )
            session.commit()
        return report

    def step(done: int, total: int, _text: str = "") -> None:
        text = translate("RosterActions", "Importing roster: %1 of %2 rows")
        window.statusBar().showMessage(text.replace("%1", str(done)).replace("%2", str(total)))

    window.ops.run(
        work,
        on_done=lambda report: _imported(window, chosen, report),
        on_progress=step,
        on_failed=lambda exc: window.dialogs.failure(window, exc),
        owner=window,
    )


def _offer_villages(window: MainWindow, path: Path, report: ImportReport) -> bool:
    """Rows naming villages this desk lacks: offer to add them (the list shown), then import again."""
    if not report.unknown_villages:
        return False
    names = "、".join(report.unknown_villages)
    question = translate(
        "RosterActions",
        "The roster names villages this desk does not have yet: %1. Add them to this desk's "
        "township and import those rows?",
    ).replace("%1", names)
    if not window.dialogs.confirm(window, translate("RosterActions", "Add villages"), question):
        return False
    import_roster(window, path, add_villages=True)
    return True


def _imported(window: MainWindow, path: Path, report: ImportReport) -> None:
    window.bus.notify("client")
    window.statusBar().clearMessage()
    if _offer_villages(window, path, report):
        return
    lines = [report.summary_zh(), *report.lines_zh(limit=MAX_LISTED)]
    window.dialogs.info(
        window,
        translate("RosterActions", "Roster imported: %1").replace("%1", path.name),
        "\n".join(lines),
    )
    if not report.held:
        return
    question = translate(
        "RosterActions",
        "%1 rows have ID numbers ending in 000 that Excel may have cut off. "
        "Import them anyway, after checking them against the originals?",
    ).replace("%1", str(len(report.held)))
    if window.dialogs.confirm(window, translate("RosterActions", "Import roster"), question):
        import_roster(window, path, confirm_truncated=True)


def export_roster(window: MainWindow) -> None:
    from agent_desk.ui.main_window import default_export_name

    path = window.dialogs.save_file(
        window,
        translate("RosterActions", "Export roster"),
        str(default_export_name()),
        _filters("*.xlsx *.csv"),
    )
    if path is None or window.desk is None:
        return
    desk = window.desk
    full = window.dialogs.confirm(
        window,
        translate("RosterActions", "Export roster"),
        translate(
            "RosterActions",
            "Export full ID and phone numbers (needed to re-import the roster)? A full export is recorded in the audit trail. "
            "Answer No for a masked roster.",
        ),
    )
    actor = window.actor_name()

    def work() -> int:
        with desk.db.session() as session:
            count = export_clients(path, session=session, full=full, actor=actor)
            session.commit()
            return count

    window.ops.run(
        work,
        on_done=lambda count: window.dialogs.info(
            window,
            translate("RosterActions", "Roster exported"),
            translate("RosterActions", "Exported %1 clients to %2")
            .replace("%1", str(count))
            .replace("%2", str(path)),
        ),
        on_failed=lambda exc: window.dialogs.failure(window, exc),
        owner=window,
    )
