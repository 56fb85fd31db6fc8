"""A desk's first pull of many pages: what the agent sees during it and after it.

During the first pull the desk builds its secondary indexes and new clients' search keys once, at
the end (sync/initial_pull.py); these tests hold what a user would notice: the pulled clients are
found by pinyin and initials, the board's indexes are back, the progress names records and time
left, and a pull cut short (or a desk killed half way) still ends with everything searchable.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from agent_desk.store.models import Case
from agent_desk.store.queries import search_client_ids
from agent_desk.sync import initial_pull
from agent_desk.sync.errors import HubUnreachable
from agent_desk.sync.pull import PullProgress
from agent_desk.sync.run import SyncProgress
from tests.sync.conftest import V1, HubFixture, add_case, add_client, make_desk
from tests.sync.test_faults import CuttingTransport

PEOPLE = [
    "张伟",
    "王芳",
    "李娜",
    "刘洋",
    "陈静",
    "杨磊",
    "赵敏",
    "黄强",
    "周杰",
    "吴丽",
    "单于晓",
    "曾乐",
]


def _indexes(desk: object) -> set[str]:
    with desk.db.engine.connect() as conn:  # type: ignore[attr-defined]
        rows = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )
        return {r[0] for r in rows}


def _cases(desk: object) -> dict[str, tuple[object, ...]]:
    """Every case as the desk's screens read it (dates and times through the ORM)."""
    with desk.db.session() as session:  # type: ignore[attr-defined]
        return {
            c.id: (
                c.case_no,
                c.client_id,
                c.entrusted_on,
                c.created_at,
                c.deferred,
                c.manual_fields,
            )
            for c in session.scalars(select(Case))
        }


def _township(
    live_hub: HubFixture, tmp_path: Path
) -> tuple[dict[str, str], dict[str, tuple[object, ...]]]:
    """Twelve clients, each with a case, pushed by one desk: name → client id, and the cases."""
    live_hub.add_user("wang")
    desk, sync = make_desk(tmp_path, "a", live_hub, "wang")
    sync.sync_once()  # the villages first
    village = live_hub.villages[V1]
    ids = {name: add_client(desk, name, village) for name in PEOPLE}
    for i, client_id in enumerate(ids.values()):
        add_case(desk, client_id, village, f"LM-{i:04d}")
    sync.sync_once()
    return ids, _cases(desk)


def test_first_pull_finds_pulled_clients_by_pinyin_and_keeps_the_indexes(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    ids, cases = _township(live_hub, tmp_path)
    live_hub.add_user("li")
    desk, sync = make_desk(tmp_path, "b", live_hub, "li")
    fresh = _indexes(desk)
    sync.page_size = 5  # many pages: the first pull defers its indexes and keys
    ticks: list[SyncProgress] = []
    sync.sync_once(progress=ticks.append)
    assert any(p.phase == "index" for p in ticks)  # the deferred work ran, and said so
    with desk.db.session() as session:
        assert search_client_ids(session, "zhangwei") == [ids["张伟"]]
        assert search_client_ids(session, "wf") == [ids["王芳"]]
        assert search_client_ids(session, "shanyu") == [ids["单于晓"]]  # the surname's reading
        assert set(search_client_ids(session, "李")) == {ids["李娜"]}
        assert not initial_pull.deferred(session)
    assert _indexes(desk) == fresh  # every index the board and lists use is back
    assert _cases(desk) == cases  # dates, times and flags read back as they were written


def test_pull_progress_names_records_and_time_left(live_hub: HubFixture, tmp_path: Path) -> None:
    _township(live_hub, tmp_path)
    live_hub.add_user("li")
    desk, sync = make_desk(tmp_path, "b", live_hub, "li")
    sync.page_size = 4
    ticks: list[SyncProgress] = []
    sync.sync_once(progress=ticks.append)
    pulls = [p for p in ticks if p.phase == "pull"]
    middle = [p for p in pulls if "预计还需" in p.message]
    assert middle, [p.message for p in pulls]
    first = middle[0]
    assert first.total is not None and first.done < first.total  # the bar shows a share
    assert f"已下载 {first.done:,} / 约" in first.message and "条更新" in first.message
    assert " left" in first.message_en and "of about" in first.message_en
    assert pulls[-1].total == pulls[-1].done  # the last page: nothing left


def test_progress_estimate_from_the_hub_sequence() -> None:
    clock = iter([0.0, 10.0]).__next__
    progress = PullProgress(start=100, clock=clock)
    progress.update(done=1000, cursor=300, head=1100, more=True)  # a fifth of the way in 10 s
    assert progress.total == 5000
    assert progress.seconds_left == pytest.approx(40.0)
    zh, en = progress.message(1000)
    assert zh == "已下载 1,000 / 约 5,000 条更新，预计还需 40 秒"
    assert en == "1,000 of about 5,000 updates received, about 40 s left"
    older_hub = PullProgress(start=0, clock=lambda: 0.0)
    older_hub.update(done=1000, cursor=1000, head=None, more=True)
    assert older_hub.message(1000) == ("已下载 1,000 条更新", "1,000 updates received")


def test_first_pull_cut_short_still_leaves_the_desk_searchable(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    ids, _cases_held = _township(live_hub, tmp_path)
    live_hub.add_user("li")
    cutter = CuttingTransport("/sync/pull", cuts=4, skip=2)
    desk, sync = make_desk(tmp_path, "b", live_hub, "li", transport=cutter)
    fresh = _indexes(desk)
    sync.page_size = 4
    with pytest.raises(HubUnreachable):
        sync.sync_once()
    assert _indexes(desk) == fresh
    with desk.db.session() as session:
        found = [n for n, i in ids.items() if search_client_ids(session, n) == [i]]
        held = session.execute(text("SELECT count(*) FROM client")).scalar_one()
    assert 0 < held < len(PEOPLE) and len(found) == held  # what came is found
    sync.sync_once()
    with desk.db.session() as session:
        assert search_client_ids(session, "zhouj") == [ids["周杰"]]


def test_desk_killed_during_first_pull_builds_indexes_at_the_next(
    live_hub: HubFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids, _cases_held = _township(live_hub, tmp_path)
    live_hub.add_user("li")
    desk, sync = make_desk(tmp_path, "b", live_hub, "li")
    fresh = _indexes(desk)
    sync.page_size = 4

    def killed(*_a: object, **_k: object) -> None:
        raise SystemExit("power lost")  # nothing after this point runs, as when the desk dies

    monkeypatch.setattr("agent_desk.sync.pull._finish_initial", killed)
    with pytest.raises(SystemExit):
        sync.sync_once()
    assert _indexes(desk) < fresh  # left without its secondary indexes
    monkeypatch.undo()
    sync.sync_once()
    assert _indexes(desk) == fresh
    with desk.db.session() as session:
        assert search_client_ids(session, "yangl") == [ids["杨磊"]]


def test_a_migration_after_a_cut_off_first_pull_finds_the_indexes_it_expects(
    live_hub: HubFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A desk dies during its first pull, then a new version migrates it: the dropped indexes come
    back before the migration runs (one may drop or replace them), and the next pull still builds
    the pulled clients' search keys."""
    from agent_desk.store.db import restore_deferred_indexes

    ids, _cases_held = _township(live_hub, tmp_path)
    live_hub.add_user("li")
    desk, sync = make_desk(tmp_path, "b", live_hub, "li")
    fresh = _indexes(desk)
    sync.page_size = 4

    def killed(*_a: object, **_k: object) -> None:
        raise SystemExit("power lost")

    monkeypatch.setattr("agent_desk.sync.pull._finish_initial", killed)
    with pytest.raises(SystemExit):
        sync.sync_once()
    missing = fresh - _indexes(desk)
    assert missing
    assert restore_deferred_indexes(desk.db.engine) == len(missing)
    assert _indexes(desk) == fresh  # what the migration about to run expects
    assert restore_deferred_indexes(desk.db.engine) == 0  # nothing left to restore
    monkeypatch.undo()
    sync.sync_once()
    assert _indexes(desk) == fresh  # no stale index built again from the old statements
    with desk.db.session() as session:
        assert search_client_ids(session, "yangl") == [ids["杨磊"]]
