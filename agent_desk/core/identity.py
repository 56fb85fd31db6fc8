"""Resident ID numbers (GB 11643) and unified social credit codes (GB 32100).

Every case starts from an ID number typed by hand, so a typo must be caught at the desk with a
message that says which digit is wrong — not at the township counter a trip later. Region names
are advisory only: codes get retired and new ones appear, and neither makes a number invalid.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from agent_desk.core.errors import DomainError
from agent_desk.core.validation import describe_char, to_halfwidth

if TYPE_CHECKING:
    from stdnum.numdb import NumDB

__all__ = [
    "CreditCode",
    "InvalidCreditCode",
    "InvalidIdNumber",
    "ResidentId",
    "id_check_digit",
    "id_match_key",
    "id_number_forms",
    "is_probably_resident_id",
    "make_resident_id",
    "mask_id_number",
    "normalize_id_text",
    "parse_credit_code",
    "parse_resident_id",
    "region_name",
    "upgrade_legacy",
]

Sex = Literal["male", "female"]

_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_ID_CHECK_CHARS = "10X98765432"
_EARLIEST_BIRTH = date(1880, 1, 1)
_SEPARATORS = " \t\u00a0\u3000\u200b-‐‑‒–—―－﹣"

PROVINCES = {
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
    "71": "台湾省",
    "81": "香港特别行政区",
    "82": "澳门特别行政区",
    "83": "台湾省",  # residence permits of Taiwan residents use 830000
}
# The 2023 foreigners' permanent residence ID card: "9", the issuing province, a 3-digit
# nationality code, then birth date, sequence and check digit exactly as a resident ID.
FOREIGNER_PREFIX = "9"
_MAINLAND = {code for code in PROVINCES if code < "70"}


class InvalidIdNumber(DomainError):
    """A resident ID number that cannot be right; ``code`` says which check failed."""


class InvalidCreditCode(DomainError):
    """A unified social credit code that cannot be right; ``code`` says which check failed."""


@dataclass(frozen=True)
class ResidentId:
    """A checked resident ID number and what it tells about its holder."""

    number: str
    birth_date: date
    sex: Sex
    region_code: str
    region: str | None
    legacy: bool

    @property
    def number18(self) -> str:
        """The 18-digit form, so legacy numbers can be matched against current ones."""
        return upgrade_legacy(self.number) if self.legacy else self.number


@dataclass(frozen=True)
class CreditCode:
    """A checked unified social credit code split into its GB 32100 parts."""

    number: str
    registration_department: str
    org_type: str
    region_code: str


def normalize_id_text(text: str) -> str:
    """Fold what IMEs and copy-paste produce (full-width, spaces, dashes, lower-case x) away."""
    folded = to_halfwidth(text)
    return "".join(ch for ch in folded if ch not in _SEPARATORS).upper()


def id_check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character over the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


# --- region names -------------------------------------------------------------------------------


@functools.cache
def _loc_db() -> NumDB | None:
    """python-stdnum's packaged region table, loaded once; None if it is missing or broken."""
    try:
        from stdnum import numdb

        return numdb.get("cn/loc")
    except Exception:
        return None


@functools.lru_cache(maxsize=4096)
def _loc_name(code: str, year: int | None) -> str | None:
    """The name of one 6-digit code: the one in use in ``year`` if known, else the latest."""
    db = _loc_db()
    if db is None:
        return None
    names = [props["county"] for _part, props in db.info(code) if "county" in props]
    if not names:
        return None
    entries = [_parse_loc_entry(entry) for entry in names[-1].split(",")]
    for start, end, name in entries:
        if year is not None and start <= year <= end:
            return name
    return entries[-1][2]


def _parse_loc_entry(entry: str) -> tuple[int, int, str]:
    """Split "[1985-2020]武山县" into (1985, 2020, "武山县"); open ends become extreme years."""
    if not entry.startswith("["):
        return 0, 9999, entry
    span, _, name = entry[1:].partition("]")
    start, _, end = span.partition("-")
    return int(start or 0), int(end or 9999), name


def _is_placeholder(name: str | None) -> bool:
    """Grouping rows like 市辖区 or 省直辖县级行政单位 are not places a person is from."""
    return not name or name in ("市辖区", "县") or "直辖" in name


def region_name(region_code: str, year: int | None = None) -> str | None:
    """Advisory place name such as "甘肃省天水市武山县"; province only or None if unknown. Never raises."""
    try:
        return _region_name(region_code, year)
    except Exception:
        return PROVINCES.get(region_code[:2]) if isinstance(region_code, str) else None


def _region_name(code: str, year: int | None) -> str | None:
    """Province + prefecture + county, skipping grouping rows and repeats."""
    province = PROVINCES.get(code[:2])
    if province is None or len(code) != 6 or not code.isdigit():
        return province
    parts = [province]
    if code[2:] != "0000":
        prefecture = _loc_name(code[:4] + "00", year)
        if not _is_placeholder(prefecture) and prefecture != province:
            parts.append(str(prefecture))
    if code[4:] != "00":
        county = _loc_name(code, year)
        if not _is_placeholder(county) and county not in parts:
            parts.append(str(county))
    return "".join(parts)


# --- resident ID numbers ------------------------------------------------------------------------


def _id_error(code: str, zh: str, en: str) -> InvalidIdNumber:
    return InvalidIdNumber(zh, code=code, message_en=en, field="id_number")


def _check_id_chars(number: str) -> None:
    """Only digits, plus X as the last character (a length problem is reported after this)."""
    for index, ch in enumerate(number, start=1):
        if (ch.isdigit() and ch.isascii()) or (ch == "X" and index in (18, len(number))):
            continue
        hint = "X只能出现在最后一位" if ch == "X" else "身份证号码只能由数字和末位X组成"
        raise _bad_id_char(number, index, hint)


def _bad_id_char(number: str, index: int, hint: str) -> InvalidIdNumber:
    ch = number[index - 1]
    return _id_error(
        "bad_char",
        f"身份证号码第{index}位是{describe_char(ch)}，{hint}",
        f"ID number has an invalid character {ch!r} at position {index}",
    )


def _check_id_length(number: str) -> None:
    if len(number) not in (15, 18):
        raise _id_error(
            "length",
            f"身份证号码应为18位（旧号码为15位），现在是{len(number)}位",
            f"ID number must have 18 characters (15 for old numbers), got {len(number)}",
        )
    if len(number) == 15 and number.endswith("X"):
        raise _bad_id_char(number, 15, "15位旧号码没有校验码，不会有X")


def _birth_date(number: str, today: date) -> date:
    """The birth date in the number; refuse impossible, future and pre-1880 dates."""
    text = "19" + number[6:12] if len(number) == 15 else number[6:14]
    try:
        born = date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise _id_error(
            "birth_date",
            f"出生日期{text}不存在（第7至{14 if len(number) == 18 else 12}位）",
            f"birth date {text} does not exist",
        ) from None
    if born > today:
        raise _id_error(
            "birth_date", f"出生日期{text}在今天之后", f"birth date {text} is in the future"
        )
    if born < _EARLIEST_BIRTH:
        raise _id_error(
            "birth_date", f"出生日期{text}早于1880年", f"birth date {text} is before 1880"
        )
    return born


def _check_id_check_digit(number: str) -> None:
    expected = id_check_digit(number[:17])
    if number[17] != expected:
        raise _id_error(
            "check_digit",
            f"校验码错误：第18位应为{expected}，实际为{number[17]}（可能有数字抄错）",
            f"check digit should be {expected}, got {number[17]}",
        )


def parse_resident_id(text: str, *, today: date | None = None) -> ResidentId:
    """Check an 18-digit (or legacy 15-digit) number and read birth date, sex and region from it."""
    number = normalize_id_text(text)
    if not number:
        raise _id_error("empty", "请填写身份证号码", "ID number is empty")
    _check_id_chars(number)
    _check_id_length(number)
    foreigner = _check_province(number)
    born = _birth_date(number, today or date.today())
    if len(number) == 18:
        _check_id_check_digit(number)
    sequence_digit = int(number[-2] if len(number) == 18 else number[-1])
    return ResidentId(
        number=number,
        birth_date=born,
        sex="male" if sequence_digit % 2 else "female",
        region_code=number[:6],
        region=_foreigner_region(number) if foreigner else region_name(number[:6], born.year),
        legacy=len(number) == 15,
    )


def _check_province(number: str) -> bool:
    """The first two digits must be a province on the official list; True for a foreigner's number.

    A foreigners' permanent residence number starts with 9 and names the issuing province next.
    """
    if len(number) == 18 and number[0] == FOREIGNER_PREFIX:
        if number[1:3] in _MAINLAND:
            return True
        raise _id_error(
            "region",
            f"外国人永久居留身份证号码第2、3位应为省级行政区划代码，「{number[1:3]}」不是",
            f"foreigner's permanent residence number names no province: {number[1:3]!r}",
        )
    if number[:2] not in PROVINCES:
        raise _id_error(
            "region",
            f"身份证号码前两位「{number[:2]}」不是省级行政区划代码（可能有数字抄错）",
            f"no province has the code {number[:2]!r}",
        )
    return False


def _foreigner_region(number: str) -> str:
    return f"{PROVINCES[number[1:3]]}（外国人永久居留）"


def upgrade_legacy(number: str) -> str:
    """18-digit form of a 15-digit number ("19" before the year, check digit added); 18 stays as is."""
    compact = normalize_id_text(number)
    if len(compact) == 18:
        return compact
    if len(compact) != 15 or not compact.isdigit():
        raise _id_error(
            "length",
            "旧身份证号码应为15位数字",
            f"legacy ID number must be 15 digits, got {compact!r}",
        )
    first17 = compact[:6] + "19" + compact[6:]
    return first17 + id_check_digit(first17)


def id_number_forms(number: str) -> tuple[str, ...]:
    """Every form one person's number is stored under: the 18-digit form and, if any, the 15-digit one.

    A 15-digit number is its 18-digit form with "19" and the check digit taken out, so both name the
    same person; callers look a person up under all of them.
    """
    compact = normalize_id_text(number)
    key = id_match_key(compact)
    if len(key) == 18 and key[6:8] == "19" and key[:17].isdigit():
        return (key, key[:6] + key[8:17])
    return (key,)


def id_match_key(text: str) -> str:
    """The form two numbers are compared in: a 15-digit number becomes its 18-digit form.

    Never raises: anything that is not a 15-digit number (an 18-digit number, a credit code,
    rubbish) comes back normalised only, so the hub can key any stored number with it.
    """
    compact = normalize_id_text(text)
    if len(compact) == 15 and compact.isdigit() and compact.isascii():
        return upgrade_legacy(compact)
    return compact


def make_resident_id(region_code: str, birth_date: date, sequence: int) -> str:
    """Build a valid 18-digit number (odd sequence = male), for demo data and tests."""
    if len(region_code) != 6 or not region_code.isdigit():
        raise _id_error(
            "region", "地区码应为6位数字", f"region code must be 6 digits, got {region_code!r}"
        )
    if not 0 <= sequence <= 999:
        raise _id_error(
            "sequence", "顺序码应在0到999之间", f"sequence must be 0-999, got {sequence}"
        )
    first17 = f"{region_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + id_check_digit(first17)


def mask_id_number(number: str) -> str:
    """Show "620524********123X" in lists and printouts; odd input keeps only its last 4 visible."""
    compact = normalize_id_text(number)
    if len(compact) in (15, 18):
        return compact[:6] + "*" * (len(compact) - 10) + compact[-4:]
    if len(compact) <= 4:
        return "*" * len(compact)
    return "*" * (len(compact) - 4) + compact[-4:]


def is_probably_resident_id(text: str) -> bool:
    """Cheap shape test for search boxes: 15 digits, or 17 digits and a digit or X."""
    number = normalize_id_text(text)
    if len(number) == 15:
        return number.isdigit() and number.isascii()
    return (
        len(number) == 18
        and number[:17].isdigit()
        and number.isascii()
        and (number[17].isdigit() or number[17] == "X")
    )


# --- unified social credit codes ----------------------------------------------------------------

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 32100 registration departments (first character) and the organisation types each may issue
# (second character), with the departments added to the code table since 2015.
REGISTRATION_DEPARTMENTS: dict[str, tuple[str, str]] = {
    "1": ("机构编制", "1239"),
    "2": ("外交", "19"),
    "3": ("司法行政", "123459"),
    "4": ("文化", "19"),
    "5": ("民政", "1239"),
    "6": ("旅游", "129"),
    "7": ("宗教", "129"),
    "8": ("工会", "19"),
    "9": ("工商", "123"),
    "A": ("中央军委改革和编制办公室", "19"),
    "N": ("农业", "1239"),
    "Y": ("其他", "1"),
}


def _credit_error(code: str, zh: str, en: str) -> InvalidCreditCode:
    return InvalidCreditCode(zh, code=code, message_en=en, field="credit_code")


def credit_check_char(first17: str) -> str:
    """GB 32100 check character: weights 3^i mod 31 over the 31-character alphabet."""
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def _check_credit_chars(number: str) -> None:
    """Digits and capitals except I, O, Z, S, V; positions 3–8 are the region code, digits only."""
    for index, ch in enumerate(number, start=1):
        if 3 <= index <= 8 and not (ch.isdigit() and ch.isascii()):
            raise _credit_error(
                "bad_char",
                f"统一社会信用代码第{index}位是{describe_char(ch)}，第3至8位是行政区划码，只能是数字",
                f"credit code has a non-digit {ch!r} at position {index} (region code)",
            )
        if ch not in _USCC_ALPHABET:
            hint = "代码中不使用字母I、O、Z、S、V" if ch in "IOZSV" else "只能是数字和大写字母"
            raise _credit_error(
                "bad_char",
                f"统一社会信用代码第{index}位是{describe_char(ch)}，{hint}",
                f"credit code has an invalid character {ch!r} at position {index}",
            )


def _check_credit_department(number: str) -> None:
    """The first character names a registration department of GB 32100, the second one of its types."""
    department = REGISTRATION_DEPARTMENTS.get(number[0])
    if department is None:
        raise _credit_error(
            "department",
            f"统一社会信用代码第1位「{number[0]}」不是登记管理部门代码（可能有字符抄错）",
            f"no registration department has the code {number[0]!r}",
        )
    name, types = department
    if number[1] not in types:
        raise _credit_error(
            "org_type",
            f"统一社会信用代码第2位「{number[1]}」不是{name}登记的机构类别代码",
            f"{number[1]!r} is not an organisation type of department {number[0]!r}",
        )


def parse_credit_code(text: str) -> CreditCode:
    """Check an 18-character unified social credit code and split it into its parts."""
    number = normalize_id_text(text)
    if not number:
        raise _credit_error("empty", "请填写统一社会信用代码", "credit code is empty")
    _check_credit_chars(number)
    if len(number) != 18:
        raise _credit_error(
            "length",
            f"统一社会信用代码应为18位，现在是{len(number)}位",
            f"credit code must have 18 characters, got {len(number)}",
        )
    _check_credit_department(number)
    expected = credit_check_char(number[:17])
    if number[17] != expected:
        raise _credit_error(
            "check_digit",
            f"校验码错误：第18位应为{expected}，实际为{number[17]}（可能有字符抄错）",
            f"check character should be {expected}, got {number[17]}",
        )
    return CreditCode(number, number[0], number[1], number[2:8])
