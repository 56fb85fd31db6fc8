"""Fixtures for the security tests: a password-protected desk with light argon2 costs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_desk.services.desk import Desk, open_desk
from agent_desk.services.vault import setup_password
from agent_desk.store.crypto import KdfParams
from agent_desk.store.datadir import DataDir

PASSWORD = "村务-correct-horse-9"


@pytest.fixture
def locked_data(data_home: Path) -> DataDir:
    data = DataDir(data_home).ensure()
    setup_password(data, PASSWORD, params=KdfParams.light())
    return data


@pytest.fixture
def secure_desk(locked_data: DataDir) -> Iterator[Desk]:
    from agent_desk.services.vault import unlock

    desk = open_desk(locked_data.root, key=unlock(locked_data, PASSWORD), actor="王代办")
    yield desk
    desk.close()
