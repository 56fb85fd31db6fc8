"""The shipped GB/T 2260 region table (province, city, county), and the codes below it.

A desk set up offline picks its county from this table; townships (乡镇, 9 digits) and villages
(村, 12 digits) carry the 统计用区划代码, which no table on the desk knows, so they are checked by
their prefix: a township's first 6 digits are its county, a village's first 9 its township.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from agent_desk.core.errors import DomainError

TABLE = Path(__file__).with_name("data") / "gb2260.tsv"


@dataclass(frozen=True)
class Region:
    code: str
    name: str


@dataclass(frozen=True)
class RegionTable:
    names: dict[str, str]

    def provinces(self) -> list[Region]:
        return [Region(c, n) for c, n in self.names.items() if c.endswith("0000")]

    def cities(self, province: str) -> list[Region]:
        """Prefecture-level cities; a municipality's counties sit directly under it (no city row)."""
        head = province[:2]
        return [
            Region(c, n)
            for c, n in self.names.items()
            if c[:2] == head and c.endswith("00") and c[2:4] != "00"
        ]

    def counties(self, parent: str) -> list[Region]:
        head = parent[:4] if parent[2:4] != "00" else parent[:2]
        return [
            Region(c, n)
            for c, n in self.names.items()
            if c.startswith(head) and not c.endswith("00")
        ]

    def county(self, code: str) -> Region | None:
        name = self.names.get(code)
        return Region(code, name) if name and len(code) == 6 and not code.endswith("00") else None

    def county_line(self, code: str) -> str:
        """「甘肃省天水市武山县」 for a county code, as forms print a place of registration."""
        parts = [
            self.names.get(code[:2] + "0000"),
            self.names.get(code[:4] + "00"),
            self.names.get(code),
        ]
        return "".join(dict.fromkeys(p for p in parts if p))


@cache
def region_table(path: Path = TABLE) -> RegionTable:
    names: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, name = line.split("\t", 1)
            names[code] = name.strip()
    return RegionTable(names)


def check_township_code(code: str, table: RegionTable | None = None) -> Region:
    """A 9-digit township code whose first 6 digits are a county in the table; returns that county."""
    table = table or region_table()
    if len(code) != 9 or not code.isdigit():
        raise DomainError(
            f"乡镇代码「{code}」应为 9 位数字（统计用区划代码）",
            code="township_code",
            field="township",
        )
    county = table.county(code[:6])
    if county is None:
        raise DomainError(
            f"乡镇代码「{code}」的前 6 位「{code[:6]}」不是已知的县级区划代码",
            code="township_county",
            field="township",
        )
    return county


def check_village_code(
    code: str, county: str | None = None, table: RegionTable | None = None
) -> Region:
    """A 12-digit village code inside a known county (and inside ``county`` when given)."""
    if len(code) != 12 or not code.isdigit():
        raise DomainError(
            f"村代码「{code}」应为 12 位数字（统计用区划代码）",
            code="village_code",
            field="village",
        )
    found = check_township_code(code[:9], table)
    if county and found.code != county:
        raise DomainError(
            f"村代码「{code}」不在所选的县（{county}）内，请核对代码",
            code="village_outside_county",
            field="village",
        )
    return found
