"""The scheduled backup: a weekly and a daily copy (about two database sizes), one at a time,
a crash mid-copy harmless, and every kept copy restorable."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import pytest
import sqlcipher3

from agent_desk.services.backup import (
    DAILY,
    WEEKLY,
    backup_lock,
    backup_space,
    backups_of,
    daily_backup,
    restore,
)
from agent_desk.services.desk import open_desk
from agent_desk.services.vault import unlock
from agent_desk.store.models import Client
from tests.conftest import build_client
from tests.security.conftest import PASSWORD

START = datetime(2026, 11, 2, 9)  # a Monday


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _add(desk, name: str) -> str:
    with desk.db.session() as session:
        client_id = build_client(session, name=name).id
        session.commit()
    return client_id


def test_a_weekly_and_a_daily_copy_are_kept_in_about_two_database_sizes(secure_desk) -> None:
    backups = secure_desk.data.backups
    for day in range(16):
        _add(secure_desk, "客户" + "一二三四五六七八九十甲乙丙丁戊己"[day])
        assert daily_backup(secure_desk, now=START + timedelta(days=day)) is not None
        # once a day
        assert daily_backup(secure_desk, now=START + timedelta(days=day, hours=2)) is None
    [weekly], [daily] = backups_of(backups, WEEKLY), backups_of(backups, DAILY)
    # day 14 (a week after day 7), day 15
    assert "20261116" in weekly.name and "20261117" in daily.name
    assert len(list(backups.glob("*.db"))) == 2  # two database sizes; the bench measures it at 300k
    assert backup_space(backups) == weekly.stat().st_size + daily.stat().st_size


def test_every_kept_copy_restores_the_desk_as_it_was(secure_desk) -> None:
    first = _add(secure_desk, "周一的客户")
    weekly = daily_backup(secure_desk, now=START)
    second = _add(secure_desk, "周二的客户")
    daily = daily_backup(secure_desk, now=START + timedelta(days=1))
    assert weekly is not None and WEEKLY in weekly.name
    assert daily is not None and DAILY in daily.name
    secure_desk.close()
    key = unlock(secure_desk.data, PASSWORD)
    for copy, expected in ((weekly, {first}), (daily, {first, second})):
        restore(secure_desk.data, copy, key)
        desk = open_desk(secure_desk.data.root, key=key)
        with desk.db.session() as session:
            assert {i for i in (first, second) if session.get(Client, i) is not None} == expected
        desk.close()


def test_a_backup_stopped_mid_copy_leaves_the_earlier_copies_intact(
    secure_desk, monkeypatch
) -> None:
    monkeypatch.setattr("agent_desk.store.db.PROGRESS_STEPS", 50)  # a small desk copies in a blink
    daily_backup(secure_desk, now=START)
    daily_backup(secure_desk, now=START + timedelta(days=1))
    kept = {p.name: _digest(p) for p in secure_desk.data.backups.glob("*.db")}
    with pytest.raises(sqlcipher3.OperationalError, match="interrupted"):
        daily_backup(secure_desk, now=START + timedelta(days=2), cancelled=lambda: True)
    assert {p.name: _digest(p) for p in secure_desk.data.backups.glob("*.db")} == kept
    # half a copy, never under a backup's name
    assert list(secure_desk.data.backups.glob("*.partial"))
    third = _add(secure_desk, "中断之后")  # the desk works on
    done = daily_backup(secure_desk, now=START + timedelta(days=2))
    assert done is not None and not list(secure_desk.data.backups.glob("*.partial"))
    secure_desk.close()
    key = unlock(secure_desk.data, PASSWORD)
    restore(secure_desk.data, done, key)
    with open_desk(secure_desk.data.root, key=key).db.session() as session:
        assert session.get(Client, third) is not None


def test_never_two_backups_at_once(secure_desk) -> None:
    with backup_lock(secure_desk.data.backups):  # another window or the CLI is backing up
        assert daily_backup(secure_desk, now=START) is None
    assert list(secure_desk.data.backups.glob("*.db")) == []
    assert daily_backup(secure_desk, now=START) is not None
