"""What the county publishes, every desk obeys: a real hub publishes, a real desk syncs and applies.

A catalog publication changes an item's promised days: a new case uses them, an open case keeps its
own definition. A calendar publication for 2027 moves open cases' due dates with an event, and a
withdrawn version brings the old dates back. A publication the desk cannot use is kept out.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

from sqlmodel import select

from agent_desk.catalog import default_catalog_dir
from agent_desk.core.calendar import CalendarSource, default_calendar
from agent_desk.server import publications
from agent_desk.services.deadlines import ACTION
from agent_desk.services.desk import Desk
from agent_desk.services.intake import DocumentChoice, IntakeRequest, plan_fill, start_intake
from agent_desk.services.profiles import agent_info
from agent_desk.services.publications import catalog_for_case, current_catalog, publication_status
from agent_desk.services.settings import Settings
from agent_desk.store.models import Case, CaseEvent, OutboxEntry
from agent_desk.sync.engine import SyncEngine
from agent_desk.sync.settings import SyncSettings
from tests.sync.conftest import V1, HubFixture, add_client, make_desk

ITEM = "62052400MZ-JF-0003"  # 高龄老人津贴发放, 10 promised days in the shipped catalog
DECEMBER = date(2026, 12, 4)


def _open_case(desk: Desk, client_id: str, today: date = DECEMBER) -> str:
    """Intake with every required document received: the case is accepted and gets a due date."""
    with desk.db.session() as session:
        catalog = current_catalog(desk.data.root, session)
        docs = {
            d.name: DocumentChoice("received") for d in catalog.item(ITEM).documents if d.required
        }
        case = start_intake(
            IntakeRequest(client_id, ITEM, docs),
            catalog,
            session=session,
            actor="张红梅",
            today=today,
        )
        session.commit()
        return case.id


def _desk_with_case(
    hub: HubFixture, tmp_path: Path, today: date = DECEMBER
) -> tuple[Desk, SyncEngine, str]:
    """A synced agent desk with one accepted case of ITEM."""
    hub.add_user("wang")
    desk, sync = make_desk(tmp_path, "a", hub, "wang")
    sync.sync_once()  # the villages
    return desk, sync, _open_case(desk, add_client(desk, "李建国", hub.villages[V1]), today)


def _case(desk: Desk, case_id: str) -> Case:
    with desk.db.session() as session:
        case = session.get(Case, case_id)
        assert case is not None
        return case


def _events(desk: Desk, case_id: str) -> list[CaseEvent]:
    with desk.db.session() as session:
        stmt = select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.action == ACTION)
        return list(session.exec(stmt))


def _catalog_with(tmp_path: Path, promised_days: int, name: str) -> Path:
    """A copy of the shipped forms/ with one item's promised days and name changed."""
    source = tmp_path / "county-catalog"
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(default_catalog_dir(), source / "forms")
    item = source / "forms" / "items" / f"{ITEM}.yaml"
    text = item.read_text(encoding="utf-8").replace(
        "promised_days: 10", f"promised_days: {promised_days}"
    )
    item.write_text(text.replace("name: 高龄老人津贴发放", f"name: {name}", 1), encoding="utf-8")
    return source


def _publish_calendar(
    hub: HubFixture, tmp_path: Path, data: object, name: str = "calendar.json"
) -> int:
    folder = tmp_path / f"calendar-{len(list(tmp_path.glob('calendar-*')))}"
    folder.mkdir()
    (folder / name).write_text(
        data if isinstance(data, str) else json.dumps(data), encoding="utf-8"
    )
    return publications.publish(hub.hub.db, hub.hub.blobs, "calendar", folder / name).version


def test_a_catalog_publication_reaches_new_cases_and_open_cases_keep_their_own(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    live_hub.add_user("wang")
    desk, sync = make_desk(tmp_path, "a", live_hub, "wang")
    sync.sync_once()  # the villages
    client = add_client(desk, "李建国", live_hub.villages[V1])
    old = _open_case(desk, client)
    assert _case(desk, old).promised_days == 10
    publications.publish(
        live_hub.hub.db, live_hub.hub.blobs, "catalog", _catalog_with(tmp_path, 5, "高龄津贴（新）")
    )
    assert sync.sync_once().publications == ["catalog"]
    new = _open_case(desk, client)
    assert (_case(desk, new).promised_days, _case(desk, new).item_name) == (5, "高龄津贴（新）")
    assert _case(desk, old).promised_days == 10
    agent = agent_info(Settings(sync=SyncSettings(username="wang")))
    with desk.db.session() as session:
        current = current_catalog(desk.data.root, session)
        assert current.item(ITEM).promised_days == 5
        assert catalog_for_case(current, old, session).item(ITEM).promised_days == 10
        # reprinting the old case fills the forms of the catalog it was opened under
        plan = plan_fill(old, current, agent, session=session, today=DECEMBER)
        assert plan.item.name == "高龄老人津贴发放" and plan.item.promised_days == 10


def test_a_calendar_publication_moves_open_due_dates_with_an_event_and_withdrawal_restores(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    desk, sync, case_id = _desk_with_case(live_hub, tmp_path)
    assert _case(desk, case_id).due_on == date(2026, 12, 18)  # 10 working days, all in 2026
    # a published correction (illustrative): a week off before 12-18
    week = [f"2026-12-{day:02d}" for day in range(7, 12)]
    first = _publish_calendar(live_hub, tmp_path, {"2026": {"holidays": week}})
    report = sync.sync_once()
    assert report.publications == ["calendar"]
    assert default_calendar().source(2026) is CalendarSource.PUBLISHED
    assert _case(desk, case_id).due_on == date(2026, 12, 25)
    [event] = _events(desk, case_id)
    assert event.reason == "办结期限因放假安排调整由 12-18 改为 12-25"
    with desk.db.session() as session:
        queued = list(session.exec(select(OutboxEntry).where(OutboxEntry.entity_id == case_id)))
    assert any(entry.fields == {"due_on": "2026-12-25"} for entry in queued)
    pushed = sync.sync_once()
    assert (
        pushed.pushed >= 2 and pushed.quarantined == 0
    )  # the new date and its event reach the hub

    publications.withdraw(live_hub.hub.db, live_hub.hub.blobs, "calendar", first)
    assert sync.sync_once().publications == ["calendar"]
    assert _case(desk, case_id).due_on == date(2026, 12, 18)
    back = _events(desk, case_id)[-1]
    assert back.reason == "办结期限因放假安排调整由 12-25 改为 12-18"
    assert default_calendar().source(2026) is CalendarSource.PACKAGE


def test_2027_estimates_are_replaced_by_the_published_schedule(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    desk, sync, case_id = _desk_with_case(live_hub, tmp_path, today=date(2026, 12, 24))
    due = _case(desk, case_id).due_on
    assert due == date(2027, 1, 8)  # 元旦 skipped
    assert default_calendar().is_estimated(due)
    _publish_calendar(
        live_hub, tmp_path, {"2027": {"holidays": ["2027-01-01", "2027-01-04"], "workdays": []}}
    )
    sync.sync_once()
    assert _case(desk, case_id).due_on == date(2027, 1, 11)
    assert not default_calendar().is_estimated(date(2027, 1, 11))
    [event] = _events(desk, case_id)
    assert event.reason == "办结期限因放假安排调整由 01-08 改为 01-11"


def test_a_publication_the_desk_cannot_parse_keeps_the_previous_version(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    desk, sync, case_id = _desk_with_case(live_hub, tmp_path)
    _publish_calendar(live_hub, tmp_path, {"2026": {"holidays": ["2026-12-07"]}})
    sync.sync_once()
    assert _case(desk, case_id).due_on == date(2026, 12, 21)
    _publish_calendar(
        live_hub, tmp_path, "2026-12-08: holiday\n"
    )  # not JSON: a hub without checks took it
    sync.sync_once()
    assert _case(desk, case_id).due_on == date(2026, 12, 21)
    assert default_calendar().version == 1
    with desk.db.session() as session:
        [calendar] = [s for s in publication_status(session) if s.kind == "calendar"]
    assert (calendar.fetched, calendar.applied) == (2, 1)
    assert "第 2 版无法使用" in calendar.text_zh() and "JSON" in calendar.text_zh()
    assert "继续使用第 1 版" in calendar.text_zh()


def test_templates_missing_a_form_are_refused_and_good_ones_used(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    desk, sync, case_id = _desk_with_case(live_hub, tmp_path)
    broken = tmp_path / "templates-broken"
    shutil.copytree(
        default_catalog_dir().parent / "templates", broken, ignore=shutil.ignore_patterns("_build")
    )
    (broken / "common" / "receipt.docx").unlink()
    publications.publish(live_hub.hub.db, live_hub.hub.blobs, "templates", broken)
    sync.sync_once()
    with desk.db.session() as session:
        [status] = [s for s in publication_status(session) if s.kind == "templates"]
        assert "receipt.docx" in status.text_zh() and status.applied == 0
    shutil.copyfile(
        default_catalog_dir().parent / "templates" / "common" / "receipt.docx",
        broken / "common" / "receipt.docx",
    )
    publications.publish(live_hub.hub.db, live_hub.hub.blobs, "templates", broken)
    sync.sync_once()
    with desk.db.session() as session:
        current = current_catalog(desk.data.root, session)
        assert current.templates_dir == desk.data.root / "published" / "templates" / "v2"
        assert catalog_for_case(current, case_id, session).templates_dir != current.templates_dir


def test_a_refused_publication_is_reported_to_the_hub_once(
    live_hub: HubFixture, tmp_path: Path, capsys
) -> None:
    """The county admin learns which desks kept their previous version, and why, from the hub."""
    from agent_desk.server.cli import print_publications

    desk, sync, _ = _desk_with_case(live_hub, tmp_path)
    assert print_publications(live_hub.hub) == 0
    assert "没有设备报告" in capsys.readouterr().out
    version = _publish_calendar(live_hub, tmp_path, "2026-12-08: holiday\n")
    sync.sync_once()
    [report] = publications.refusals(live_hub.hub.db)
    assert (report["kind"], report["version"], report["username"]) == ("calendar", version, "wang")
    assert report["reason"].startswith(f"第 {version} 版无法使用") and "JSON" in report["reason"]
    assert print_publications(live_hub.hub) == 1  # the latest calendar is refused somewhere
    out = capsys.readouterr().out
    assert f"放假安排第 {version} 版  wang" in out and "JSON" in out
    reported_at = report["reported_at"]
    sync.sync_once()  # nothing new to say: no second report
    [again] = publications.refusals(live_hub.hub.db)
    assert again["reported_at"] == reported_at
    _publish_calendar(live_hub, tmp_path, {"2026": {"holidays": ["2026-12-07"]}})
    sync.sync_once()
    assert print_publications(live_hub.hub) == 0  # the refused version is no longer the latest
