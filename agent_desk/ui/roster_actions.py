"""Roster import and export from the File menu, run in the background with a summary at the end."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

from agent_desk.services.roster import ImportReport, export_clients, import_clients
from agent_desk.ui.messages import LANGUAGE

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget
    from sqlmodel import Session

    from agent_desk.ui.context import DeskContext

MAX_LISTED = 30
translate = (
    QCoreApplication.translate
)  # lupdate reads translate("RosterActions", "…"): one context for this module


def _filters(patterns: str) -> str:
    return translate("RosterActions", "Roster (%1)").replace("%1", patterns)


def import_roster(
    ctx: DeskContext,
    parent: QWidget,
    path: Path | None = None,
    *,
    confirm_truncated: bool = False,
    add_villages: bool = False,
) -> None:
    """Import in the background with the row count in the status bar; held rows are asked about after."""
    if path is None:
        path = ctx.dialogs.open_file(
            parent,
            translate("RosterActions", "Import roster"),
            _filters("*.xlsx *.xlsm *.xls *.et *.csv"),
        )
    if path is None or ctx.desk is None:
        return
    chosen = path

    def work(session: Session, progress: object) -> ImportReport:
        return import_clients(
            chosen,
            session=session,
            actor="desk",
            progress=progress,  # type: ignore[arg-type]
            confirm_truncated=confirm_truncated,
            add_villages=add_villages,
        )

    ctx.write(
        work,
        owner=parent,
        on_done=lambda report: _imported(ctx, parent, chosen, report),
        job=translate("RosterActions", "Importing roster %1").replace("%1", chosen.name),
        on_progress=lambda done, total, _t: ctx.nav.show_status(
            translate("RosterActions", "Importing roster: %1 of %2 rows")
            .replace("%1", str(done))
            .replace("%2", str(total))
        ),
        on_failed=lambda _exc: ctx.nav.show_status(""),
    )


def _offer_villages(ctx: DeskContext, parent: QWidget, path: Path, report: ImportReport) -> bool:
    """Rows naming villages this desk lacks: offer to add them (the list shown), then import again."""
    if not report.unknown_villages:
        return False
    names = "、".join(report.unknown_villages)
    question = translate(
        "RosterActions",
        "The roster names villages this desk does not have yet: %1. Add them to this desk's "
        "township and import those rows?",
    ).replace("%1", names)
    if not ctx.dialogs.confirm(parent, translate("RosterActions", "Add villages"), question):
        return False
    import_roster(ctx, parent, path, add_villages=True)
    return True


def _imported(ctx: DeskContext, parent: QWidget, path: Path, report: ImportReport) -> None:
    ctx.nav.show_status("")
    if _offer_villages(ctx, parent, path, report):
        return
    lang = LANGUAGE["ui"]
    lines = [report.summary(lang), *report.lines(lang, limit=MAX_LISTED)]
    ctx.dialogs.info(
        parent,
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
    if ctx.dialogs.confirm(parent, translate("RosterActions", "Import roster"), question):
        import_roster(ctx, parent, path, confirm_truncated=True)


def default_export_name() -> Path:
    from datetime import date

    return Path(f"花名册-{date.today():%Y%m%d}.xlsx")


def export_roster(ctx: DeskContext, parent: QWidget) -> None:
    path = ctx.dialogs.save_file(
        parent,
        translate("RosterActions", "Export roster"),
        str(default_export_name()),
        _filters("*.xlsx *.csv"),
    )
    if path is None or ctx.desk is None:
        return
    full = ctx.dialogs.confirm(
        parent,
        translate("RosterActions", "Export roster"),
        translate(
            "RosterActions",
            "Export full ID and phone numbers (needed to re-import the roster)? A full export is recorded in the audit trail. "
            "Answer No for a masked roster.",
        ),
    )
    actor = ctx.actor_name()

    def work(session: Session, progress: Any) -> int:
        return export_clients(path, session=session, full=full, actor=actor, progress=progress)

    ctx.write(
        work,
        owner=parent,
        job=translate("RosterActions", "Exporting roster"),
        on_done=lambda count: ctx.dialogs.saved_file(
            parent,
            translate("RosterActions", "Roster exported"),
            translate("RosterActions", "Exported %1 clients to %2")
            .replace("%1", str(count))
            .replace("%2", str(path)),
            path,
        ),
    )
