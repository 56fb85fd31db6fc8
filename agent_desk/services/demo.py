"""Realistic demo data: one township's villages, households, clients and cases in every state.

It is also the benchmark dataset (100k clients, 300k cases), so rows go in with bulk inserts and
the search keys are computed once per distinct name.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session

from agent_desk.core.identity import make_resident_id
from agent_desk.services.demo_cases import DemoItem, seed_cases
from agent_desk.store.bulk import bulk_insert
from agent_desk.store.models import (
    Client,
    ClientSearchKey,
    Household,
    Meta,
    User,
    Village,
    new_id,
    utcnow,
)
from agent_desk.store.search_keys import client_keys, sort_key

COUNTY = "甘肃省天水市武山县"
TOWNSHIP = ("620524100", "洛门镇")
VILLAGES = (
    "洛门村",
    "蓼阳村",
    "郭台村",
    "旧堡村",
    "西旗村",
    "李家庄村",
    "响河村",
    "改河村",
    "西街村",
    "东街村",
    "水帘村",
    "大柳村",
)
# Surnames with weights close to their national frequency, plus the heteronym surnames.
SURNAMES = {
    "王": 72,
    "李": 71,
    "张": 68,
    "刘": 52,
    "陈": 46,
    "杨": 40,
    "赵": 22,
    "黄": 19,
    "周": 18,
    "吴": 17,
    "徐": 13,
    "孙": 12,
    "马": 12,
    "朱": 11,
    "胡": 10,
    "郭": 10,
    "何": 9,
    "高": 9,
    "林": 8,
    "罗": 8,
    "郑": 7,
    "梁": 7,
    "谢": 6,
    "宋": 6,
    "唐": 5,
    "许": 5,
    "韩": 5,
    "冯": 5,
    "邓": 5,
    "曹": 5,
    "彭": 4,
    "曾": 4,
    "蔡": 3,
    "潘": 3,
    "田": 3,
    "董": 3,
    "袁": 3,
    "于": 3,
    "余": 3,
    "叶": 3,
    "蒋": 3,
    "杜": 3,
    "苏": 3,
    "魏": 3,
    "程": 3,
    "吕": 3,
    "丁": 3,
    "任": 3,
    "单": 1,
    "解": 1,
    "仇": 1,
    "区": 1,
    "朴": 1,
    "乐": 1,
}
MALE_CHARS = "建国军伟强明杰涛斌勇刚志华平文辉鹏飞海龙永红宏亮俊峰磊林超成东兴德福贵生荣"
FEMALE_CHARS = "丽芳娟秀英华敏静燕霞玲梅兰红萍琴慧婷雪莉丹艳娜晶花凤桂珍翠玉娥"
BIRTH_REGIONS = ("620524",) * 8 + (
    "620503",
    "620502",
    "620521",
    "620522",
    "620523",
    "620525",
    "620422",
    "610302",
)
RELATIONS_CHILD = {"male": "子", "female": "女"}
HETERONYM_SURNAMES = (
    "单曾解仇区朴乐"  # the first households get these, so search by either reading can be shown
)


class _Names:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.surnames = list(SURNAMES)
        self.weights = list(SURNAMES.values())

    def person(self, sex: str, surname: str | None = None) -> str:
        pool = MALE_CHARS if sex == "male" else FEMALE_CHARS
        given = "".join(self.rng.choice(pool) for _ in range(self.rng.choice((1, 2, 2, 2))))
        return (surname or self.rng.choices(self.surnames, self.weights)[0]) + given


class DemoSeeder:
    def __init__(
        self, session: Session, items: Sequence[DemoItem], *, seed: int, today: date
    ) -> None:
        self.session, self.items, self.today = session, items, today
        self.rng = random.Random(seed)
        self.names = _Names(self.rng)
        self.ids: set[str] = set()
        self.key_cache: dict[str, set[str]] = {}
        self.village_rows: list[dict[str, Any]] = []
        self.client_ids: list[tuple[str, str]] = []  # (client id, village id)
        self.rare_surnames = list(HETERONYM_SURNAMES)
        self.agent_id: str | None = None  # the demo agent, who took every demo case in

    def villages(self) -> None:
        code, township = TOWNSHIP
        self.village_rows = [
            {
                "id": new_id(),
                "code": f"{code}{200 + i:03d}",
                "name": name,
                "township_code": code,
                "township_name": township,
                "county_name": COUNTY,
                "version": 1,
                "deleted": False,
                "updated_at": utcnow(),
            }
            for i, name in enumerate(VILLAGES)
        ]
        bulk_insert(self.session, Village, self.village_rows)
        first = self.village_rows[0]["id"]
        self.agent_id = new_id()
        bulk_insert(
            self.session,
            User,
            [
                {
                    "id": self.agent_id,
                    "username": "agent",
                    "display_name": "王建国",
                    "role": "agent",
                    "phone": "13909381234",
                    "village_id": first,
                    "service_room": "洛门村便民服务室",
                    "version": 1,
                    "deleted": False,
                    "updated_at": utcnow(),
                },
                {
                    "id": new_id(),
                    "username": "reviewer",
                    "display_name": "李慧敏",
                    "role": "reviewer",
                    "phone": "13993845678",
                    "village_id": None,
                    "service_room": "洛门镇便民服务中心",
                    "version": 1,
                    "deleted": False,
                    "updated_at": utcnow(),
                },
            ],
        )

    def clients(self, count: int) -> None:
        households: list[dict[str, Any]] = []
        clients: list[dict[str, Any]] = []
        while len(clients) < count:
            household, members = self._household(count - len(clients))
            households.append(household)
            clients.extend(members)
        bulk_insert(self.session, Household, households)
        bulk_insert(self.session, Client, clients)
        bulk_insert(self.session, ClientSearchKey, self._keys(clients))
        self.client_ids = [(c["id"], c["village_id"]) for c in clients]

    def _keys(self, clients: list[dict[str, Any]]) -> Iterator[dict[str, str]]:
        for c in clients:
            names = self.key_cache.get(c["name"])
            if names is None:
                names = self.key_cache[c["name"]] = client_keys(c["name"], None, None)
            for key in names | client_keys("", c["id_number"], c["phone"]) - {"n"}:
                yield {"key": key, "client_id": c["id"]}

    def _household(self, room: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        rng = self.rng
        village = rng.choice(self.village_rows)
        address = (
            f"{COUNTY}{TOWNSHIP[1]}{village['name']}{rng.randint(1, 9)}组{rng.randint(1, 120)}号"
        )
        head_birth = self._birth(30, 80)
        rare = self.rare_surnames.pop(0) if self.rare_surnames else None
        head = self._client("male", head_birth, village, address, "户主", rare)
        household = {
            "id": new_id(),
            "village_id": village["id"],
            "address": address,
            "head_name": head["name"],
            "registration_type": "农业",
            "version": 1,
            "deleted": False,
            "updated_at": utcnow(),
        }
        members = [head]
        if room > 1:
            members.append(
                self._client(
                    "female",
                    head_birth + timedelta(days=rng.randint(-900, 1800)),
                    village,
                    address,
                    "配偶",
                    None,
                )
            )
        surname = head["name"][0]
        for _ in range(min(room - len(members), rng.choice((0, 1, 2, 2, 3)))):
            sex = rng.choice(("male", "female"))
            birth = head_birth + timedelta(days=rng.randint(20 * 365, 32 * 365))
            if birth < self.today:
                members.append(
                    self._client(sex, birth, village, address, RELATIONS_CHILD[sex], surname)
                )
        for m in members:
            m["household_id"] = household["id"]
        return household, members

    def _birth(self, youngest: int, oldest: int) -> date:
        return self.today - timedelta(days=self.rng.randint(youngest * 365, oldest * 365))

    def _client(
        self,
        sex: str,
        birth: date,
        village: dict[str, Any],
        address: str,
        relation: str,
        surname: str | None,
    ) -> dict[str, Any]:
        name = self.names.person(sex, surname)
        return {
            "id": new_id(),
            "kind": "person",
            "name": name,
            "sort_key": sort_key(name),
            "id_number": self._id_number(sex, birth),
            "sex": sex,
            "birth_date": birth,
            "phone": self._phone(),
            "address": address,
            "village_id": village["id"],
            "household_id": None,
            "relation_to_head": relation,
            **self._bank(name),
            "ethnicity": "汉族" if self.rng.random() < 0.95 else "回族",
            "version": 1,
            "deleted": False,
            "updated_at": utcnow(),
            "created_at": utcnow(),
        }

    def _bank(self, name: str) -> dict[str, str | None]:
        """Most adults draw benefits through the rural commercial bank's 一折通 account."""
        if self.rng.random() < 0.2:
            return {"bank_name": None, "bank_account": None}
        return {
            "bank_name": "甘肃武山农村商业银行",
            "bank_account": "6229" + "".join(str(self.rng.randrange(10)) for _ in range(15)),
        }

    def _id_number(self, sex: str, birth: date) -> str:
        while True:
            seq = self.rng.randrange(0, 500) * 2 + (1 if sex == "male" else 0)
            number = make_resident_id(self.rng.choice(BIRTH_REGIONS), birth, seq)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def _phone(self) -> str | None:
        if self.rng.random() < 0.25:
            return None
        return (
            self.rng.choice(("139", "138", "135", "151", "158", "177", "181", "189"))
            + f"{self.rng.randrange(10**8):08d}"
        )


def seed_demo(
    session: Session,
    items: Sequence[DemoItem],
    *,
    clients: int,
    cases: int,
    seed: int = 1,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Fill an empty desk with demo data; the caller commits. Returns counts per table."""
    seeder = DemoSeeder(session, items, seed=seed, today=today or date.today())
    note = progress or (lambda _msg: None)
    # Random UUID keys land all over each index: a big page cache for this one connection keeps
    # index maintenance in memory (the normal 8 MB is sized for browsing, not for a bulk load).
    session.connection().exec_driver_sql("PRAGMA cache_size=-262144")
    note("villages")
    seeder.villages()
    note("clients")
    seeder.clients(clients)
    note("cases")
    counts = seed_cases(
        session,
        items,
        seeder.client_ids,
        cases,
        rng=seeder.rng,
        today=seeder.today,
        agent_id=seeder.agent_id,
    )
    session.add(Meta(key="demo", value="1"))
    session.connection().exec_driver_sql("PRAGMA cache_size=-8000")
    return {"villages": len(seeder.village_rows), "clients": len(seeder.client_ids), **counts}
