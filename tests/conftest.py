"""Shared fixtures: a temp data folder per test, an opened desk, client/case factories, a memory keyring.

Every test runs with ``AGENT_DESK_HOME`` pointing into its own temp folder and with an in-memory
keyring, so no test can touch a user's real data or OS credential store.
"""

from __future__ import annotations

import os

os.environ.setdefault(
    "QT_QPA_PLATFORM", "offscreen"
)  # before any QApplication: tests never need a screen

import itertools  # noqa: E402
import logging
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import keyring.errors
import pytest
from sqlmodel import Session

from agent_desk.core.calendar import add_working_days
from agent_desk.core.case_flow import CaseAction, CaseStatus, plan_transition
from agent_desk.core.identity import make_resident_id
from agent_desk.services.clients import ClientInput, create_client
from agent_desk.services.desk import Desk, open_desk
from agent_desk.store.datadir import ENV_VAR
from agent_desk.store.models import Case, CaseEvent, Client, Village

PG_ENV = "AGENT_DESK_TEST_PG"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL leg runs where AGENT_DESK_TEST_PG names a server (``.ci/run`` runs it after
    ``make test``, with ``-m pg``). Without it those tests are deselected, not run to a skip: a
    skipped test checks nothing, and the report says which leg ran (``pytest_report_header``)."""
    if os.environ.get(PG_ENV):
        return
    leg = [item for item in items if item.get_closest_marker("pg")]
    if leg:
        config.hook.pytest_deselected(items=leg)
        items[:] = [item for item in items if not item.get_closest_marker("pg")]


def pytest_report_header(config: pytest.Config) -> str:
    if os.environ.get(PG_ENV):
        return f"PostgreSQL leg: on ({PG_ENV} is set)"
    return f"PostgreSQL leg: deselected (set {PG_ENV}=postgresql+psycopg://postgres@127.0.0.1:5432/test, or run .ci/run)"


TODAY = date(2026, 11, 20)  # a Friday with official calendar data; tests pass it explicitly
ITEM_CODE, ITEM_NAME = "62052400MZ-JF-0001", "最低生活保障申请"

# The actions that bring a new case to each status, with the payload each action needs.
PATHS: dict[CaseStatus, tuple[CaseAction, ...]] = {
    CaseStatus.ENTRUSTED: (),
    CaseStatus.ACCEPTED: (CaseAction.ACCEPT,),
    CaseStatus.IN_PROGRESS: (CaseAction.ACCEPT, CaseAction.SUBMIT),
    CaseStatus.NEEDS_CORRECTION: (CaseAction.ACCEPT, CaseAction.RETURN_FOR_CORRECTION),
    CaseStatus.CONCLUDED: (CaseAction.ACCEPT, CaseAction.SUBMIT, CaseAction.CONCLUDE),
    CaseStatus.DELIVERED: (
        CaseAction.ACCEPT,
        CaseAction.SUBMIT,
        CaseAction.CONCLUDE,
        CaseAction.DELIVER,
    ),
    CaseStatus.ARCHIVED: (
        CaseAction.ACCEPT,
        CaseAction.SUBMIT,
        CaseAction.CONCLUDE,
        CaseAction.DELIVER,
        CaseAction.ARCHIVE,
    ),
    CaseStatus.WITHDRAWN: (CaseAction.WITHDRAW,),
    CaseStatus.NOT_ACCEPTED: (CaseAction.REFUSE_ACCEPTANCE,),
}
PAYLOADS: dict[CaseAction, dict[str, Any]] = {
    CaseAction.RETURN_FOR_CORRECTION: {"reasons": ["申请表缺少申请人签字"]},
    CaseAction.CONCLUDE: {"outcome": "approved"},
    CaseAction.DELIVER: {"method": "agent"},
    CaseAction.WITHDRAW: {"reason": "委托人不再申请"},
    CaseAction.REFUSE_ACCEPTANCE: {"reason": "不属于本事项受理范围"},
}


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that lives and dies with one test."""

    priority = 10  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(f"no password for {username}@{service}")


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The data folder of this test, also what ``AGENT_DESK_HOME`` points at."""
    home = tmp_path / "desk-data"
    monkeypatch.setenv(ENV_VAR, str(home))
    return home


@pytest.fixture(autouse=True)
def _drop_added_log_handlers() -> Iterator[None]:
    """The CLI adds a file handler on the root logger; close it with the test's temp folder."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


@pytest.fixture(autouse=True)
def _restore_default_calendar() -> Iterator[None]:
    """Opening a desk installs its published calendar process-wide; no test leaks one to the next."""
    from agent_desk.core import calendar

    before = calendar.default_calendar()
    yield
    calendar._default_calendar = before


@pytest.fixture(autouse=True)
def _restore_ui_language() -> Iterator[None]:
    """Installing the English translators switches error texts to English process-wide
    (ui/messages.LANGUAGE); the next test starts in Chinese again. Never imports Qt itself."""
    yield
    messages = sys.modules.get("agent_desk.ui.messages")
    if messages is not None:
        messages.LANGUAGE["ui"] = "zh_CN"


@pytest.fixture
def desk(data_home: Path) -> Iterator[Desk]:
    """An opened (migrated) desk in the test's data folder."""
    opened = open_desk(data_home)
    yield opened
    opened.close()


@pytest.fixture
def session(desk: Desk) -> Iterator[Session]:
    with desk.db.session() as s:
        yield s


_serial = itertools.count(1)


def build_client(session: Session, **overrides: Any) -> Client:
    """A valid person through the clients service (search keys, outbox); flushed, not committed.

    ``sex``, ``birth_date`` and ``region`` shape the generated ID number unless ``id_number`` is given.
    """
    n = next(_serial)
    sex = overrides.pop("sex", "male" if n % 2 else "female")
    # wraps every 600 clients (61 years): a long run never makes a birth date in the future
    born = overrides.pop("birth_date", date(1960, 1, 1) + timedelta(days=37 * (n % 600)))
    region = overrides.pop("region", "620524")
    sequence = (n % 500) * 2 + (1 if sex == "male" else 0)
    fields: dict[str, Any] = {
        "name": overrides.pop("name", "王建国"),
        "id_number": overrides.pop("id_number", make_resident_id(region, born, sequence)),
        "phone": overrides.pop("phone", f"139{n:08d}"),
        "kind": overrides.pop("kind", "person"),
    }
    client = create_client(ClientInput(**fields, extra=overrides), session=session, actor="test")
    session.flush()
    return client


def build_village(session: Session, name: str = "洛门村", **overrides: Any) -> Village:
    n = next(_serial)
    fields = {
        "code": f"620524100{n % 1000:03d}",
        "township_code": "620524100",
        "township_name": "洛门镇",
        "county_name": "武山县",
    } | overrides
    village = Village(name=name, **fields)
    session.add(village)
    session.flush()
    return village


def build_case(session: Session, client: Client, **overrides: Any) -> Case:
    """A case walked to ``status`` (default 委托) through the state machine, one event per step."""
    status = CaseStatus(overrides.pop("status", CaseStatus.ENTRUSTED))
    day = overrides.pop("entrusted_on", TODAY - timedelta(days=30))
    fields = {
        "case_no": f"T{next(_serial):08d}",
        "item_code": ITEM_CODE,
        "item_name": ITEM_NAME,
        "promised_days": 20,
        "village_id": client.village_id,
    } | overrides
    case = Case(client_id=client.id, entrusted_on=day, **fields)
    session.add(case)
    session.add(_event(case, None, CaseStatus.ENTRUSTED, "entrust", day, {}))
    for action in PATHS[status]:
        day += timedelta(days=1)
        _step(session, case, action, day)
    session.flush()
    return case


def _step(session: Session, case: Case, action: CaseAction, day: date) -> None:
    step = plan_transition(CaseStatus(case.status), action, PAYLOADS.get(action, {}))
    if action is CaseAction.ACCEPT:
        case.accepted_on, case.due_on = day, add_working_days(day, case.promised_days)
    if action is CaseAction.CONCLUDE:
        case.outcome, case.concluded_on = "approved", day
    if action is CaseAction.DELIVER:
        case.delivered_on = day
    session.add(
        _event(case, step.from_status, step.to_status, action.value, day, PAYLOADS.get(action, {}))
    )
    case.status = step.to_status.value


def _event(
    case: Case,
    before: CaseStatus | None,
    after: CaseStatus,
    action: str,
    day: date,
    payload: dict[str, Any],
) -> CaseEvent:
    at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=9)
    return CaseEvent(
        case_id=case.id,
        action=action,
        from_status=before.value if before else None,
        to_status=after.value,
        actor="test",
        at=at,
        reason=payload.get("reason"),
        payload=payload,
    )


@pytest.fixture
def make_client() -> Callable[..., Client]:
    """``make_client(session, **overrides)``: a valid client row."""
    return build_client


@pytest.fixture
def make_case() -> Callable[..., Case]:
    """``make_case(session, client, status=..., **overrides)``: a case with a consistent history."""
    return build_case


@pytest.fixture
def make_village() -> Callable[..., Village]:
    """``make_village(session, name="洛门村", **overrides)``."""
    return build_village


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice, which `make test` installs (scripts/check_sysdeps.sh): its tests fail, never skip, without it."""
    from agent_desk.fill import find_soffice

    found = find_soffice()
    if found is None:
        pytest.fail(
            "LibreOffice (soffice) is not installed: run `make sysdeps` (libreoffice-writer-nogui)"
        )
    return found
