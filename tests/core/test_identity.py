"""Resident ID numbers and credit codes: real vectors, every kind of mistake, precise messages."""

from __future__ import annotations

import random
from datetime import date

import pytest
from stdnum.cn import ric, uscc

from agent_desk.core.errors import DomainError
from agent_desk.core.identity import (
    CreditCode,
    InvalidCreditCode,
    InvalidIdNumber,
    ResidentId,
    credit_check_char,
    id_check_digit,
    id_match_key,
    id_number_forms,
    is_probably_resident_id,
    make_resident_id,
    mask_id_number,
    parse_credit_code,
    parse_resident_id,
    region_name,
    upgrade_legacy,
)

TODAY = date(2026, 11, 22)


def _with_check(first17: str) -> str:
    return first17 + id_check_digit(first17)


# --- check digit ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first17", "check"),
    [
        ("11010519491231002", "X"),  # the well-known GB 11643 example
        ("11010119900307447", "7"),
        ("36042619910101007", "1"),  # python-stdnum's documentation example
    ],
)
def test_check_digit_known_vectors(first17: str, check: str) -> None:
    assert id_check_digit(first17) == check


def test_check_digit_agrees_with_python_stdnum() -> None:
    rng = random.Random(11643)
    for _ in range(500):
        first17 = "".join(rng.choice("0123456789") for _ in range(17))
        assert id_check_digit(first17) == ric.calc_check_digit(first17 + "0")


# --- valid numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number", "born", "sex", "region"),
    [
        ("11010519491231002X", "11010519491231002X", date(1949, 12, 31), "female", "北京市朝阳区"),
        ("110101199003074477", "110101199003074477", date(1990, 3, 7), "male", "北京市东城区"),
        (
            "360426199101010071",
            "360426199101010071",
            date(1991, 1, 1),
            "male",
            "江西省九江市德安县",
        ),
        ("11010519491231002x", "11010519491231002X", date(1949, 12, 31), "female", "北京市朝阳区"),
        (
            "１１０１０５１９４９１２３１００２ｘ",
            "11010519491231002X",
            date(1949, 12, 31),
            "female",
            "北京市朝阳区",
        ),
        (
            " 110105-19491231-002X ",
            "11010519491231002X",
            date(1949, 12, 31),
            "female",
            "北京市朝阳区",
        ),
        (
            "110105\u300019491231\u3000002Ｘ",
            "11010519491231002X",
            date(1949, 12, 31),
            "female",
            "北京市朝阳区",
        ),
    ],
)
def test_valid_numbers(text: str, number: str, born: date, sex: str, region: str) -> None:
    parsed = parse_resident_id(text, today=TODAY)
    assert parsed == ResidentId(number, born, sex, number[:6], region, legacy=False)  # type: ignore[arg-type]
    assert parsed.number18 == number


def test_county_named_with_prefecture() -> None:
    number = make_resident_id("620524", date(1980, 1, 1), 123)
    assert parse_resident_id(number, today=TODAY).region == "甘肃省天水市武山县"


def test_code_created_after_birth_is_still_valid() -> None:
    """620524 was assigned in 1985; people born earlier were issued it later. stdnum rejects this."""
    number = make_resident_id("620524", date(1960, 5, 4), 8)
    assert not ric.is_valid(number)
    assert parse_resident_id(number, today=TODAY).region == "甘肃省天水市武山县"


@pytest.mark.parametrize(
    ("region_code", "expected_start"),
    [
        ("512501", "四川省"),  # 宜宾市, retired in 1996
        ("510221", "四川省"),  # 长寿县, Sichuan code before Chongqing split off in 1997
        ("629999", "甘肃省"),  # never assigned: province only
    ],
)
def test_retired_or_unknown_region_is_not_an_error(region_code: str, expected_start: str) -> None:
    parsed = parse_resident_id(make_resident_id(region_code, date(1970, 6, 1), 11), today=TODAY)
    assert parsed.region_code == region_code
    assert parsed.region is not None and parsed.region.startswith(expected_start)


@pytest.mark.parametrize(
    "province", ["00", "10", "16", "24", "39", "47", "55", "66", "70", "80", "84"]
)
def test_province_not_on_the_official_list_is_refused(province: str) -> None:
    with pytest.raises(InvalidIdNumber) as caught:
        parse_resident_id(make_resident_id(province + "0101", date(1990, 1, 1), 1), today=TODAY)
    assert caught.value.code == "region"
    assert f"前两位「{province}」不是省级行政区划代码" in str(caught.value)


@pytest.mark.parametrize(
    ("code", "name"), [("810000", "香港"), ("820000", "澳门"), ("830000", "台湾")]
)
def test_residence_permit_codes_are_accepted(code: str, name: str) -> None:
    parsed = parse_resident_id(make_resident_id(code, date(1990, 1, 1), 1), today=TODAY)
    assert parsed.region is not None and name in parsed.region


def test_foreigners_permanent_residence_number() -> None:
    number = make_resident_id("911840", date(1985, 3, 2), 12)  # issued in Beijing, nationality 840
    parsed = parse_resident_id(number, today=TODAY)
    assert (parsed.birth_date, parsed.sex, parsed.region) == (
        date(1985, 3, 2),
        "female",
        "北京市（外国人永久居留）",
    )


@pytest.mark.parametrize("prefix", ["900840", "990840", "971840"])
def test_foreigners_number_must_name_a_province(prefix: str) -> None:
    with pytest.raises(InvalidIdNumber) as caught:
        parse_resident_id(make_resident_id(prefix, date(1985, 3, 2), 12), today=TODAY)
    assert caught.value.code == "region"
    assert "外国人永久居留身份证" in str(caught.value)


def test_match_key_and_forms_make_15_and_18_digits_one_number() -> None:
    legacy, current = "110105491231002", "11010519491231002X"
    assert id_match_key(legacy) == id_match_key(current) == current
    assert id_match_key(" ９１３５０１００ｍ０００１００Ｙ４３ ") == "91350100M000100Y43"
    assert id_match_key("rubbish") == "RUBBISH"
    assert id_number_forms(legacy) == id_number_forms(current) == (current, legacy)
    assert id_number_forms(make_resident_id("620524", date(2001, 1, 1), 5))[1:] == ()


def test_unknown_county_gives_exactly_the_province() -> None:
    assert region_name("629999") == "甘肃省"


def test_county_named_like_its_prefecture_is_not_repeated() -> None:
    assert region_name("320882") == "江苏省淮安市"


def test_historic_name_is_the_one_in_use_in_the_birth_year() -> None:
    assert region_name("419001", 1988) == "河南省义马市"
    assert region_name("419001", 2000) == "河南省济源市"


@pytest.mark.parametrize("code", ["", "6", "abcdef", "62052", "6205244", "００００００"])
def test_region_name_never_raises(code: str) -> None:
    assert region_name(code) in (None, "甘肃省")


@pytest.mark.parametrize(
    ("code", "name"), [("810000", "香港特别行政区"), ("820000", "澳门特别行政区")]
)
def test_special_regions_use_simplified_names(code: str, name: str) -> None:
    assert region_name(code) == name


def test_future_birth_date_boundary_uses_injected_today() -> None:
    number = make_resident_id("110105", date(2026, 11, 22), 1)
    assert parse_resident_id(number, today=date(2026, 11, 22)).birth_date == date(2026, 11, 22)
    with pytest.raises(InvalidIdNumber) as caught:
        parse_resident_id(number, today=date(2026, 11, 21))
    assert caught.value.code == "birth_date"
    assert "今天之后" in str(caught.value)


# --- invalid numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("", "empty", "请填写身份证号码"),
        (" - ", "empty", "请填写身份证号码"),
        ("1101051949123100", "length", "应为18位（旧号码为15位），现在是16位"),
        ("11010519491231002", "length", "现在是17位"),
        ("1101051949123102X", "length", "现在是17位"),
        ("11010519491231002X1", "length", "现在是19位"),
        ("110105194912A1002X", "bad_char", "第13位是“A”"),
        ("11010519X912310021", "bad_char", "第9位是“X”，X只能出现在最后一位"),
        ("1101051949123100二X", "bad_char", "第17位是“二”"),
        ("11010519491231\x07002X", "bad_char", "第15位是特殊字符U+0007"),
        ("11010549123100X", "bad_char", "第15位是“X”，15位旧号码没有校验码"),
        ("110105194912310021", "check_digit", "校验码错误：第18位应为X，实际为1"),
        ("110101199003074475", "check_digit", "第18位应为7，实际为5"),
        (_with_check("11010519990230002"), "birth_date", "出生日期19990230不存在（第7至14位）"),
        (_with_check("11010519991301002"), "birth_date", "出生日期19991301不存在"),
        (_with_check("11010518791231002"), "birth_date", "早于1880年"),
        (_with_check("11010520991231002"), "birth_date", "出生日期20991231在今天之后"),
        ("110105990230002", "birth_date", "出生日期19990230不存在（第7至12位）"),
    ],
)
def test_invalid_numbers_say_what_is_wrong(text: str, code: str, message: str) -> None:
    with pytest.raises(InvalidIdNumber) as caught:
        parse_resident_id(text, today=TODAY)
    assert caught.value.code == code
    assert message in str(caught.value)
    assert caught.value.field == "id_number"
    assert caught.value.message_en and caught.value.message_en != str(caught.value)


def test_error_is_a_domain_error() -> None:
    with pytest.raises(DomainError):
        parse_resident_id("123", today=TODAY)


def test_birth_date_is_checked_before_check_digit() -> None:
    """A typo in the date part is easier to find when the date itself is named."""
    with pytest.raises(InvalidIdNumber) as caught:
        parse_resident_id("110105199902300020", today=TODAY)
    assert caught.value.code == "birth_date"


# --- legacy 15-digit numbers ----------------------------------------------------------------------


def test_legacy_number_recognised() -> None:
    parsed = parse_resident_id("110105491231002", today=TODAY)
    assert parsed.legacy is True
    assert parsed.number == "110105491231002"
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.sex == "female"
    assert parsed.region == "北京市朝阳区"
    assert parsed.number18 == "11010519491231002X"


def test_legacy_sex_comes_from_last_digit() -> None:
    assert parse_resident_id("620524800101123", today=TODAY).sex == "male"


@pytest.mark.parametrize(
    ("legacy", "upgraded"),
    [
        ("110105491231002", "11010519491231002X"),
        ("110101900307447", "110101199003074477"),
        ("110105 491231 002", "11010519491231002X"),
        ("11010519491231002x", "11010519491231002X"),
    ],
)
def test_upgrade_legacy(legacy: str, upgraded: str) -> None:
    assert upgrade_legacy(legacy) == upgraded


@pytest.mark.parametrize("bad", ["11010549123100", "11010549123100A", ""])
def test_upgrade_legacy_refuses_non_legacy(bad: str) -> None:
    with pytest.raises(InvalidIdNumber):
        upgrade_legacy(bad)


# --- make, mask, shape ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sequence", "sex"), [(0, "female"), (1, "male"), (998, "female"), (999, "male"), (123, "male")]
)
def test_make_resident_id_round_trips(sequence: int, sex: str) -> None:
    number = make_resident_id("620524", date(1985, 7, 9), sequence)
    parsed = parse_resident_id(number, today=TODAY)
    assert (parsed.birth_date, parsed.sex, parsed.region_code) == (date(1985, 7, 9), sex, "620524")
    assert number[14:17] == f"{sequence:03d}"
    assert ric.calc_check_digit(number) == number[-1]


@pytest.mark.parametrize(
    ("region", "sequence"), [("62052", 1), ("62052A", 1), ("620524", -1), ("620524", 1000)]
)
def test_make_resident_id_refuses_bad_parts(region: str, sequence: int) -> None:
    with pytest.raises(InvalidIdNumber):
        make_resident_id(region, date(1985, 7, 9), sequence)


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("62052419800101123X", "620524********123X"),
        ("620524 1980 0101 123x", "620524********123X"),
        ("110105491231002", "110105*****1002"),
        ("12345", "*2345"),
        ("1234567890", "******7890"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_mask_id_number(number: str, masked: str) -> None:
    assert mask_id_number(number) == masked


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11010519491231002x", True),
        ("１１０１０５１９４９１２３１００２Ｘ", True),
        ("110105491231002", True),
        ("110105194912310021", True),  # shape only, check digit not examined
        ("1101051949123100", False),
        ("13812345678", False),
        ("11010519491231002XX", False),
        ("1101051949123100XX", False),
        ("11010549123100X", False),
        ("张三", False),
        ("", False),
    ],
)
def test_is_probably_resident_id(text: str, expected: bool) -> None:
    assert is_probably_resident_id(text) is expected


# --- unified social credit codes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("91350100M000100Y43", ("91350100M000100Y43", "9", "1", "350100")),  # GB 32100 example
        ("91110000600037341L", ("91110000600037341L", "9", "1", "110000")),
        ("9135 0100 m000 100y 43", ("91350100M000100Y43", "9", "1", "350100")),
        ("９１３５０１００Ｍ０００１００Ｙ４３", ("91350100M000100Y43", "9", "1", "350100")),
    ],
)
def test_valid_credit_codes(text: str, parts: tuple[str, str, str, str]) -> None:
    assert parse_credit_code(text) == CreditCode(*parts)


def _credit(first2: str) -> str:
    """A code with a right check character, so only its department or type can be wrong."""
    first17 = first2 + "350100M000100Y4"
    return first17 + credit_check_char(first17)


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("", "empty", "请填写统一社会信用代码"),
        ("91350100M000100Y4", "length", "应为18位，现在是17位"),
        ("91350100M000100Y433", "length", "现在是19位"),
        ("91350100M0O0100Y43", "bad_char", "第11位是“O”，代码中不使用字母I、O、Z、S、V"),
        ("91350100I000100Y43", "bad_char", "第9位是“I”"),
        ("9135A100M000100Y43", "bad_char", "第5位是“A”，第3至8位是行政区划码"),
        ("91350100M000100Y4#", "bad_char", "第18位是“#”，只能是数字和大写字母"),
        ("91350100M000100Y44", "check_digit", "校验码错误：第18位应为3，实际为4"),
        ("91110000600037341M", "check_digit", "第18位应为L，实际为M"),
        (_credit("01"), "department", "第1位「0」不是登记管理部门代码"),
        (_credit("B1"), "department", "第1位「B」不是登记管理部门代码"),
        (_credit("94"), "org_type", "第2位「4」不是工商登记的机构类别代码"),
        (_credit("54"), "org_type", "不是民政登记的机构类别代码"),
        (_credit("Y2"), "org_type", "不是其他登记的机构类别代码"),
    ],
)
def test_invalid_credit_codes(text: str, code: str, message: str) -> None:
    with pytest.raises(InvalidCreditCode) as caught:
        parse_credit_code(text)
    assert caught.value.code == code
    assert message in str(caught.value)
    assert caught.value.field == "credit_code"


@pytest.mark.parametrize(
    "first2",
    [
        "11",
        "12",
        "21",
        "31",
        "35",
        "51",
        "53",
        "61",
        "71",
        "81",
        "91",
        "92",
        "93",
        "A1",
        "N2",
        "Y1",
    ],
)
def test_credit_code_known_departments_pass(first2: str) -> None:
    assert parse_credit_code(_credit(first2)).registration_department == first2[0]


def test_credit_check_char_agrees_with_python_stdnum() -> None:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    rng = random.Random(32100)
    for _ in range(500):
        first17 = "".join(rng.choice(alphabet) for _ in range(17))
        assert credit_check_char(first17) == uscc.calc_check_digit(first17)
