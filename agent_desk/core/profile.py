"""Plain value types that carry a client's profile and a case into form filling.

The store maps its rows onto these; the fill layer reads only these, so forms never depend on
tables and tests can build a profile without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

ClientKind = Literal["person", "organisation"]


@dataclass(frozen=True)
class Member:
    """A household member as household tables on forms list them."""

    name: str
    relation: str  # 与户主关系: 户主, 配偶, 子, 女, 父亲, 母亲, 孙子 …
    id_number: str | None = None
    sex: str | None = None  # "male" / "female"
    birth_date: date | None = None
    occupation: str | None = None
    disability: str | None = None  # e.g. "肢体二级"
    phone: str | None = None


@dataclass(frozen=True)
class Household:
    address: str | None = None
    head_name: str | None = None
    registration_type: str | None = None  # 农业 / 非农业 / 居民
    members: tuple[Member, ...] = ()


@dataclass(frozen=True)
class ClientProfile:
    """Everything the forms may ask about a client; None means 'not recorded yet'."""

    name: str
    kind: ClientKind = "person"
    id_number: str | None = None  # resident ID (person) or unified social credit code (org)
    phone: str | None = None
    address: str | None = None
    village: str | None = None  # 所属村
    township: str | None = None
    county: str | None = None
    ethnicity: str | None = None  # 民族
    marital_status: str | None = None
    education: str | None = None
    bank_name: str | None = None
    bank_account: str | None = None
    bank_account_holder: str | None = None
    relation_to_head: str | None = None
    disability: str | None = None
    poverty_status: str | None = None  # 低保户 / 特困 / 脱贫户 …
    # an organisation's (address is its registered address)
    legal_rep_name: str | None = None  # 法定代表人
    legal_rep_id_number: str | None = None
    legal_rep_phone: str | None = None
    contact_name: str | None = None  # 联系人
    contact_phone: str | None = None
    business_scope: str | None = None  # 经营范围
    household: Household = field(default_factory=Household)


@dataclass(frozen=True)
class AgentInfo:
    """The proxy agent or hall helper doing the errand."""

    name: str
    phone: str | None = None
    id_number: str | None = None
    village: str | None = None
    service_room: str | None = None  # 便民服务室 name


@dataclass(frozen=True)
class CaseDocument:
    """One required document of a case as the notice and receipt list it."""

    name: str
    original: bool = False  # True: 原件, False: 复印件
    copies: int = 1
    required: bool = True
    status: Literal["received", "missing", "deferred"] = "missing"
    promised_on: date | None = None
    note: str | None = None


@dataclass(frozen=True)
class CaseInfo:
    """A case (办件) as documents print it."""

    case_no: str
    item_code: str
    item_name: str
    status: str = "entrusted"
    entrusted_on: date | None = None
    accepted_on: date | None = None
    due_on: date | None = None
    concluded_on: date | None = None
    delivered_on: date | None = None
    outcome: str | None = None  # "approved" / "refused"
    result: str | None = None  # 办理结果, e.g. certificate number
    correction_reasons: tuple[str, ...] = ()
    documents: tuple[CaseDocument, ...] = ()
    department: str | None = None
    note: str | None = None
