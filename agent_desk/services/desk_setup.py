"""Setting up a desk without a hub: the agent's own details and the desk's villages.

Every printed form needs the agent (name, phone, ID number, service room) and every client needs
a village; a village agent's first day usually has no township hub yet. Everything is checked
before anything is written, so bad input changes nothing; a second run with the same answers
changes nothing either. Villages are kept by their 12-digit code: when the desk later joins a hub,
the hub's village with the same code is the same village.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import Session, col

from agent_desk.catalog.regions import (
    RegionTable,
    check_township_code,
    check_village_code,
    region_table,
)
from agent_desk.core.errors import DomainError
from agent_desk.core.identity import parse_resident_id
from agent_desk.core.validation import normalize_person_name, normalize_phone
from agent_desk.services.agent_identity import store_agent_id
from agent_desk.services.settings import Settings
from agent_desk.store.models import Meta, User, Village

DESK_AGENT_KEY = "desk_agent_id"
DESK_TOWNSHIPS_KEY = "desk_townships"  # townships set up before any of their villages: {code: name}


@dataclass(frozen=True)
class AgentDetails:
    name: str
    phone: str
    id_number: str
    service_room: str


@dataclass(frozen=True)
class DeskSetup:
    """What the wizard's offline pages or ``agent-desk setup`` gathered (codes as typed)."""

    agent: AgentDetails | None = None
    townships: dict[str, str] = field(default_factory=dict)  # 9-digit code → name
    villages: dict[str, str] = field(default_factory=dict)  # 12-digit code → name
    county: str | None = None  # the county chosen from the region table, when one was


@dataclass
class SetupReport:
    villages_added: list[str] = field(default_factory=list)
    villages_kept: list[str] = field(default_factory=list)
    townships: list[str] = field(default_factory=list)
    agent_saved: bool = False

    def summary_zh(self) -> str:
        parts = [f"新增村 {len(self.villages_added)} 个", f"已有村 {len(self.villages_kept)} 个"]
        if self.townships:
            parts.insert(0, "乡镇 " + "、".join(self.townships))
        return "，".join(parts + (["代办员信息已保存"] if self.agent_saved else []))

    def summary_en(self) -> str:
        parts = [f"{len(self.villages_added)} villages added", f"{len(self.villages_kept)} kept"]
        if self.townships:
            parts.insert(0, "townships " + ", ".join(self.townships))
        return ", ".join(parts + (["agent details saved"] if self.agent_saved else []))

    def summary(self, lang: str = "zh_CN") -> str:
        """The summary in the UI's language ("en" or Chinese)."""
        return self.summary_en() if lang == "en" else self.summary_zh()


def parse_code_pairs(pairs: list[str], what: str) -> dict[str, str]:
    """``620524100201=石桥村`` pairs; the same code twice with two names is refused."""
    found: dict[str, str] = {}
    for pair in pairs:
        code, sep, name = pair.partition("=")
        code, name = code.strip(), name.strip()
        if not sep or not name:
            raise DomainError(
                f"{what}「{pair}」应写成 代码=名称，例如 620524100201=石桥村", code="code_pair"
            )
        if found.get(code, name) != name:
            raise DomainError(
                f"{what}代码 {code} 出现两次，名称不同（「{found[code]}」「{name}」）",
                code="duplicate_code",
            )
        found[code] = name
    return found


def check_agent(agent: AgentDetails) -> AgentDetails:
    """The agent's details as forms print them; a bad one raises with the Chinese reason."""
    if not agent.service_room.strip():
        raise DomainError("请填写便民服务室名称", code="service_room", field="service_room")
    return AgentDetails(
        name=normalize_person_name(agent.name),
        phone=normalize_phone(agent.phone),
        id_number=parse_resident_id(agent.id_number).number18,
        service_room=agent.service_room.strip(),
    )


def _known_townships(session: Session) -> dict[str, str]:
    """The townships of the desk's villages, and any set up on their own (``setup --township``)."""
    meta = session.get(Meta, DESK_TOWNSHIPS_KEY)
    alone: dict[str, str] = json.loads(meta.value) if meta is not None else {}
    return alone | {
        v.township_code: v.township_name
        for v in session.scalars(select(Village).where(col(Village.deleted).is_(False)))
    }


def _remember_townships(session: Session, townships: dict[str, str]) -> None:
    meta = session.get(Meta, DESK_TOWNSHIPS_KEY)
    known: dict[str, str] = json.loads(meta.value) if meta is not None else {}
    if townships and known | townships != known:
        session.merge(
            Meta(key=DESK_TOWNSHIPS_KEY, value=json.dumps(known | townships, ensure_ascii=False))
        )


def check_codes(
    setup: DeskSetup, townships: dict[str, str], table: RegionTable | None = None
) -> None:
    """Every code by its prefix, and every village's township named (here or already on the desk)."""
    table = table or region_table()
    if setup.county and table.county(setup.county) is None:
        raise DomainError(
            f"「{setup.county}」不是已知的县级区划代码", code="county_code", field="county"
        )
    for code, name in setup.townships.items():
        county = check_township_code(code, table)
        if setup.county and county.code != setup.county:
            raise DomainError(
                f"乡镇代码「{code}」不在所选的县（{setup.county}）内",
                code="township_outside_county",
            )
        if not name.strip():
            raise DomainError(f"请填写乡镇 {code} 的名称", code="township_name", field="township")
    for code, name in setup.villages.items():
        check_village_code(code, setup.county, table)
        if not name.strip():
            raise DomainError(f"请填写村 {code} 的名称", code="village_name", field="village")
        if code[:9] not in townships and code[:9] not in setup.townships:
            raise DomainError(
                f"村「{name}」所属乡镇 {code[:9]} 尚未设置：请同时填写乡镇（{code[:9]}=乡镇名称）",
                code="township_unknown",
            )


def check_villages(
    setup: DeskSetup, session: Session, table: RegionTable | None = None
) -> list[Village]:
    """The villages to add (new codes only); any bad code, name or clash raises before anything is written."""
    table = table or region_table()
    townships = _known_townships(session) | setup.townships
    check_codes(setup, townships, table)
    existing = {
        v.code: v
        for v in session.scalars(select(Village).where(col(Village.code).in_(list(setup.villages))))
    }
    new: list[Village] = []
    for code, name in setup.villages.items():
        if code not in existing:
            new.append(
                Village(
                    code=code,
                    name=name,
                    township_code=code[:9],
                    township_name=townships[code[:9]],
                    county_name=table.county_line(code[:6]),
                )
            )
        elif existing[code].name != name:
            raise DomainError(
                f"村代码 {code} 已用于「{existing[code].name}」，不能再设为「{name}」",
                code="duplicate_village",
            )
    return new


def desk_agent_id(session: Session, username: str = "") -> str | None:
    """The agent a new case names: the hub's user of this login once synced, else the desk's own agent."""
    if username:
        synced = select(col(User.id)).where(col(User.username) == username, col(User.version) > 0)
        found = session.scalars(synced).first()
        if found:
            return found
    meta = session.get(Meta, DESK_AGENT_KEY)
    return meta.value if meta is not None else None


LOCAL_PREFIX = (
    "本机:"  # the desk's own agent row; never the name of a hub user, so sync cannot clash with it
)


def _save_agent_user(
    session: Session, agent: AgentDetails, username: str, village_id: str | None
) -> None:
    """A user row for the desk's agent, so each case names who took it in (cases.agent_id)."""
    meta = session.get(Meta, DESK_AGENT_KEY)
    user = session.get(User, meta.value) if meta is not None else None
    if user is None:
        user = User(
            username=LOCAL_PREFIX + (username or "agent"), display_name=agent.name, role="agent"
        )
    user.display_name, user.phone, user.service_room = agent.name, agent.phone, agent.service_room
    user.village_id = user.village_id or village_id
    session.add(user)
    session.merge(Meta(key=DESK_AGENT_KEY, value=user.id))


def apply_setup(
    setup: DeskSetup, settings: Settings, *, session: Session
) -> tuple[Settings, SetupReport]:
    """Check everything, then add the villages and the agent; the caller commits and saves the settings."""
    agent = check_agent(setup.agent) if setup.agent else None
    new = check_villages(setup, session)
    report = SetupReport(
        villages_added=[v.name for v in new],
        villages_kept=[n for c, n in setup.villages.items() if c not in {v.code for v in new}],
        townships=list(setup.townships.values()),
    )
    session.add_all(new)
    _remember_townships(session, setup.townships)
    session.flush()
    if agent is None:
        return settings, report
    first = next(iter(setup.villages), None)
    village = (
        session.scalars(select(Village).where(col(Village.code) == first)).first()
        if first
        else None
    )
    _save_agent_user(session, agent, settings.username, village.id if village else None)
    store_agent_id(session, agent.id_number)  # settings.json never holds it
    values = {
        "name": agent.name,
        "phone": agent.phone,
        "id_number": agent.id_number,
        "service_room": agent.service_room,
        "village": village.name if village else None,
    }
    agent_settings = dataclasses.replace(
        settings.agent, **{k: str(v) for k, v in values.items() if v}
    )
    extra = {k: v for k, v in settings.extra.items() if k != "demo_only"}
    report.agent_saved = True
    return dataclasses.replace(settings, agent=agent_settings, extra=extra), report


PROVISIONAL_FROM = 999  # village codes end 001–399; a village added from a roster without its code counts down from 999


def roster_village(session: Session, name: str, code: str | None = None) -> Village:
    """A village a roster names and the desk lacks, added under the desk's township.

    With the roster's 村代码 the village gets its real code; without it, a provisional code
    (township + 9xx) until the hub's village of that name is known.
    """
    if code:
        new = check_villages(DeskSetup(villages={code: name}), session)
        session.add_all(new)
        session.flush()  # before the households that name it: the unit of work does not order by foreign keys
        return new[0]
    townships = _known_townships(session)
    if len(townships) != 1:
        why = (
            "本机尚未设置乡镇"
            if not townships
            else "本机有多个乡镇，请在花名册中加「村代码」列（12 位统计用区划代码）"
        )
        raise DomainError(
            f"无法添加村「{name}」：{why}；也可先运行 agent-desk setup --township 代码=名称 --village 代码=名称",
            code="village_needs_township",
        )
    township = next(iter(townships))
    taken = set(
        session.scalars(select(col(Village.code)).where(col(Village.code).like(f"{township}%")))
    )
    number = next(n for n in range(PROVISIONAL_FROM, 0, -1) if f"{township}{n:03d}" not in taken)
    village = Village(
        code=f"{township}{number:03d}",
        name=name,
        township_code=township,
        township_name=townships[township],
        county_name=region_table().county_line(township[:6]),
    )
    session.add(village)
    session.flush()  # before the households that name it: the unit of work does not order by foreign keys
    return village
