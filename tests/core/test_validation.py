"""Phones, names, dates and money in capitals: what agents type, and what they are told."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from agent_desk.core.validation import (
    InvalidAmount,
    InvalidDate,
    InvalidMobile,
    InvalidName,
    InvalidPhone,
    cn_amount,
    cn_date,
    cn_date_digits,
    normalize_mobile,
    normalize_org_name,
    normalize_person_name,
    normalize_phone,
    parse_date,
    to_halfwidth,
)


def test_to_halfwidth() -> None:
    assert to_halfwidth("１３８ＡＢｘ（）\u3000－") == "138ABx() -"


# --- mobiles --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+8613812345678",
        "8613812345678",
        "008613812345678",
        "１３８１２３４５６７８",
        "＋８６\u3000１３８－１２３４－５６７８",
    ],
)
def test_mobile_accepted(text: str) -> None:
    assert normalize_mobile(text) == "13812345678"


@pytest.mark.parametrize("text", ["13012345678", "15912345678", "19912345678", "16612345678"])
def test_every_mobile_prefix_13_to_19(text: str) -> None:
    assert normalize_mobile(text) == text


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("", "empty", "请填写手机号码"),
        ("1381234567", "length", "手机号码应为11位，现在是10位"),
        ("138123456789", "length", "现在是12位"),
        ("12812345678", "prefix", "应以13至19开头，现在以12开头"),
        ("09381234567", "prefix", "现在以09开头"),
        ("138a1234567", "bad_char", "第4位是“a”"),
        ("138.1234.5678", "bad_char", "第4位是“.”"),
    ],
)
def test_mobile_rejected(text: str, code: str, message: str) -> None:
    with pytest.raises(InvalidMobile) as caught:
        normalize_mobile(text)
    assert caught.value.code == code
    assert message in str(caught.value)


# --- phones ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0938-1234567", "0938-1234567"),
        ("09381234567", "0938-1234567"),
        ("(0938)1234567", "0938-1234567"),
        ("（０９３８）１２３４５６７", "0938-1234567"),
        ("0938 1234567", "0938-1234567"),
        ("+86 938 1234567", "0938-1234567"),
        ("010-12345678", "010-12345678"),
        ("01012345678", "010-12345678"),
        ("02087654321", "020-87654321"),
        ("0931-8765432", "0931-8765432"),
        ("138 1234 5678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
    ],
)
def test_phone_accepted(text: str, expected: str) -> None:
    assert normalize_phone(text) == expected


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("", "empty", "请填写电话号码"),
        ("1234567", "area_code", "固定电话请加区号"),
        ("8765432", "area_code", "固定电话请加区号"),
        ("09381-1234567", "area_code", "区号“09381”不对"),
        ("0938-123456", "length", "区号后应为7到8位"),
        ("0938-0234567", "length", "不以0开头"),
        ("0938-12a4567", "bad_char", "“a”"),
        ("1381234567", "length", "手机号码应为11位"),
    ],
)
def test_phone_rejected(text: str, code: str, message: str) -> None:
    with pytest.raises(InvalidPhone) as caught:
        normalize_phone(text)
    assert caught.value.code == code
    assert message in str(caught.value)


# --- person names ---------------------------------------------------------------------------------


@pytest.mark.parametrize("dot", ["·", "•", "・", "‧", "･", "∙", "⋅", ".", "．", " · ", "•  "])
def test_ethnic_name_dot_variants_normalised(dot: str) -> None:
    assert normalize_person_name(f"阿依古丽{dot}买买提") == "阿依古丽\u00b7买买提"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("张三", "张三"),
        ("  张三\u3000", "张三"),
        ("张  三", "张三"),
        ("王", "王"),
        ("𠀀三", "𠀀三"),  # extension B ideograph
        ("㐀三", "㐀三"),  # extension A ideograph
        ("John Smith", "John Smith"),
        ("  John   Smith ", "John Smith"),
        ("Ｊｏｈｎ Ｓｍｉｔｈ", "John Smith"),
        ("José Martínez", "José Martínez"),
        ("Jean-Luc Picard", "Jean-Luc Picard"),
        ("阿" * 30, "阿" * 30),
    ],
)
def test_person_name_accepted(text: str, expected: str) -> None:
    assert normalize_person_name(text) == expected


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("", "empty", "请填写姓名"),
        ("  \u3000", "empty", "请填写姓名"),
        ("阿" * 31, "length", "姓名不能超过30个字，现在是31个字"),
        ("张三😀", "bad_char", "姓名第3个字是“😀”"),
        ("张三3", "bad_char", "第3个字是“3”"),
        ("Robert'); DROP TABLE", "bad_char", "第7个字是“'”"),
        ("<b>张三</b>", "bad_char", "第1个字是“<”"),
        ("张\x07三", "bad_char", "第2个字是特殊字符U+0007"),
        ("张\u200b三", "bad_char", "特殊字符U+200B"),
        ("张\ue000", "bad_char", "特殊字符U+E000"),
        ("-Luc", "bad_char", "第1个字是“-”"),
        ("·阿依古丽", "dot", "不能在开头或结尾"),
        ("阿依古丽·", "dot", "不能在开头或结尾"),
        ("阿依古丽··买买提", "dot", "不能连着写两个"),
        ("阿依古丽•・买买提", "dot", "不能连着写两个"),
    ],
)
def test_person_name_rejected(text: str, code: str, message: str) -> None:
    with pytest.raises(InvalidName) as caught:
        normalize_person_name(text)
    assert caught.value.code == code
    assert message in str(caught.value)


# --- organisation names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("武山县城关镇人民政府", "武山县城关镇人民政府"),
        ("天水市第一中学(分校)", "天水市第一中学（分校）"),
        ("天水市第一中学（分校）", "天水市第一中学（分校）"),
        (" 甘肃  ABC 有限公司 ", "甘肃 ABC 有限公司"),
        ("机" * 100, "机" * 100),
    ],
)
def test_org_name_accepted(text: str, expected: str) -> None:
    assert normalize_org_name(text) == expected


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("", "empty", "请填写单位名称"),
        ("机" * 101, "length", "单位名称不能超过100个字，现在是101个字"),
        ("天水市第一中学(分校", "brackets", "括号不成对"),
        ("天水<script>", "bad_char", "第3个字是“<”"),
        ("天水;公司", "bad_char", "“;”"),
    ],
)
def test_org_name_rejected(text: str, code: str, message: str) -> None:
    with pytest.raises(InvalidName) as caught:
        normalize_org_name(text)
    assert caught.value.code == code
    assert message in str(caught.value)


# --- dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-22",
        "2026/11/22",
        "2026.11.22",
        "20261122",
        "2026年11月22日",
        "２０２６年１１月２２日",
        "２０２６－１１－２２",
        " 2026 年 11 月 22 日 ",
        "2026年11月22",
    ],
)
def test_parse_date_accepted(text: str) -> None:
    assert parse_date(text) == date(2026, 11, 22)


def test_parse_date_single_digit_parts() -> None:
    assert parse_date("2026-1-2") == date(2026, 1, 2)
    assert parse_date("2026年1月2日") == date(2026, 1, 2)


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("", "empty", "请填写日期"),
        ("2026-02-30", "impossible", "2026年2月30日不存在"),
        ("20261301", "impossible", "2026年13月1日不存在"),
        ("2026-11", "format", "日期“2026-11”看不懂"),
        ("2026-11/22", "format", "看不懂"),
        ("22/11/2026", "format", "看不懂"),
        ("明天", "format", "看不懂"),
    ],
)
def test_parse_date_rejected(text: str, code: str, message: str) -> None:
    with pytest.raises(InvalidDate) as caught:
        parse_date(text)
    assert caught.value.code == code
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 11, 22), "二〇二六年十一月二十二日"),
        (date(2000, 1, 1), "二〇〇〇年一月一日"),
        (date(2019, 10, 10), "二〇一九年十月十日"),
        (date(2024, 12, 31), "二〇二四年十二月三十一日"),
        (date(2025, 3, 20), "二〇二五年三月二十日"),
        (date(2025, 6, 30), "二〇二五年六月三十日"),
    ],
)
def test_cn_date(day: date, text: str) -> None:
    assert cn_date(day) == text


def test_cn_date_digits() -> None:
    assert cn_date_digits(date(2026, 11, 22)) == "2026年11月22日"
    assert cn_date_digits(date(2026, 1, 2)) == "2026年1月2日"


# --- money ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("1234.56"), "壹仟贰佰叁拾肆元伍角陆分"),
        ("1234.56", "壹仟贰佰叁拾肆元伍角陆分"),
        (100, "壹佰元整"),
        (0, "零元整"),
        ("0.00", "零元整"),
        (Decimal("1005.07"), "壹仟零伍元零柒分"),
        (100000000, "壹亿元整"),
        (100000001, "壹亿零壹元整"),
        (100010, "壹拾万零壹拾元整"),
        (10, "壹拾元整"),
        ("10.50", "壹拾元伍角"),
        ("0.56", "伍角陆分"),
        ("0.07", "柒分"),
        ("1,680.32", "壹仟陆佰捌拾元叁角贰分"),
        ("107000.53", "壹拾万柒仟元伍角叁分"),
        ("60036000", "陆仟零叁万陆仟元整"),
        ("100000000000", "壹仟亿元整"),
        ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_cn_amount(value: Decimal | int | str, text: str) -> None:
    assert cn_amount(value) == text


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (-1, "negative"),
        ("-0.01", "negative"),
        ("1.234", "precision"),
        ("1000000000000", "too_large"),
        ("abc", "format"),
        ("NaN", "format"),
        (1.5, "type"),
        (True, "type"),
    ],
)
def test_cn_amount_rejected(value: object, code: str) -> None:
    with pytest.raises(InvalidAmount) as caught:
        cn_amount(value)  # type: ignore[arg-type]
    assert caught.value.code == code
