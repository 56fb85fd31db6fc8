"""Checks and normalisation for what agents type: phones, names, dates, money in capitals.

Agents type on old PCs with Chinese IMEs that switch between half- and full-width, so every
parser first folds full-width characters and separators, then says precisely what is wrong.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from agent_desk.core.errors import DomainError

__all__ = [
    "InvalidAmount",
    "InvalidDate",
    "InvalidMobile",
    "InvalidName",
    "InvalidPhone",
    "cn_amount",
    "cn_date",
    "cn_date_digits",
    "describe_char",
    "normalize_mobile",
    "normalize_org_name",
    "normalize_person_name",
    "normalize_phone",
    "parse_date",
    "to_halfwidth",
]

# Full-width ASCII block (！..～) maps onto ASCII by a fixed offset; U+3000 is the ideographic space.
_HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_DASHES = "-‐‑‒–—―－﹣"
_SPACES = " \t\u00a0\u3000\u2002\u2003\u2009\u200b"


class InvalidPhone(DomainError):
    """A phone number (mobile or landline) that cannot be right."""


class InvalidMobile(InvalidPhone):
    """A mainland mobile number that cannot be right."""


class InvalidName(DomainError):
    """A person's or organisation's name with characters or length that cannot be right."""


class InvalidDate(DomainError):
    """A date that is badly written or does not exist."""


class InvalidAmount(DomainError):
    """A money amount that cannot be written in capital numerals."""


def to_halfwidth(text: str) -> str:
    """Fold full-width letters, digits, punctuation and spaces to ASCII, as IMEs often emit them."""
    return text.translate(_HALFWIDTH)


def describe_char(ch: str) -> str:
    """Name a character for an error message; invisible ones get their code point so people can find them."""
    if ch == " ":
        return "空格"
    if unicodedata.category(ch)[0] in "CZ":
        return f"特殊字符U+{ord(ch):04X}"
    return f"“{ch}”"


def _strip_separators(text: str) -> str:
    """Drop spaces and dashes people put between digit groups."""
    return "".join(ch for ch in to_halfwidth(text) if ch not in _SPACES and ch not in _DASHES)


# --- phones -------------------------------------------------------------------------------------

_MOBILE = re.compile(r"1[3-9]\d{9}")


def _drop_country_code(digits: str) -> str:
    """Remove +86 / 0086 / 86 so numbers copied from WeChat or business cards still fit."""
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            return digits[len(prefix) :]
    if digits.startswith("86") and len(digits) == 13:
        return digits[2:]
    return digits


def _first_bad(text: str, allowed: str) -> tuple[int, str] | None:
    """Return (1-based position, char) of the first character not in ``allowed``."""
    for index, ch in enumerate(text, start=1):
        if ch not in allowed:
            return index, ch
    return None


def normalize_mobile(text: str) -> str:
    """Return the 11-digit mainland mobile number, or say exactly why the input is not one."""
    digits = _drop_country_code(_strip_separators(text))
    if not digits:
        raise InvalidMobile("请填写手机号码", code="empty", message_en="mobile number is empty")
    bad = _first_bad(digits, "0123456789")
    if bad:
        raise InvalidMobile(
            f"手机号码第{bad[0]}位是{describe_char(bad[1])}，只能填数字",
            code="bad_char",
            message_en=f"mobile number has a non-digit {bad[1]!r} at position {bad[0]}",
        )
    if len(digits) >= 2 and not re.fullmatch(r"1[3-9]", digits[:2]):
        raise InvalidMobile(
            f"不是手机号码：手机号应以13至19开头，现在以{digits[:2]}开头",
            code="prefix",
            message_en=f"not a mobile prefix: {digits[:2]}",
        )
    if len(digits) != 11:
        raise InvalidMobile(
            f"手机号码应为11位，现在是{len(digits)}位",
            code="length",
            message_en=f"mobile number must have 11 digits, got {len(digits)}",
        )
    return digits


def _area_code_length(digits: str) -> int:
    """Mainland area codes are 010 and 02x (three digits); all others have four."""
    return 3 if digits.startswith(("10", "2"), 1) else 4


def _split_landline(text: str) -> tuple[str, str]:
    """Split into (area code, local number), using the dash or bracket the user typed if any."""
    folded = to_halfwidth(text).replace("(", "").replace(")", "-")
    folded = "".join(ch for ch in folded if ch not in _SPACES)
    for dash in _DASHES:
        folded = folded.replace(dash, "-")
    folded = folded.strip("-")
    if folded.startswith(("+86", "0086")):
        folded = "0" + folded.removeprefix("+86").removeprefix("0086").lstrip("-")
    if "-" in folded:
        area, _, local = folded.partition("-")
        return area, local.replace("-", "")
    cut = _area_code_length(folded) if folded.startswith("0") else 0
    return folded[:cut], folded[cut:]


def _check_landline(area: str, local: str) -> None:
    """Raise InvalidPhone describing the first problem with a landline's parts."""
    bad = _first_bad(area + local, "0123456789")
    if bad:
        raise InvalidPhone(
            f"电话号码里有{describe_char(bad[1])}，只能填数字和“-”",
            code="bad_char",
            message_en=f"phone number has a non-digit {bad[1]!r}",
        )
    if not area:
        raise InvalidPhone(
            "固定电话请加区号，例如0938-1234567",
            code="area_code",
            message_en="landline needs an area code",
        )
    if not re.fullmatch(r"0\d{2,3}", area):
        raise InvalidPhone(
            f"区号“{area}”不对：区号以0开头，共3到4位",
            code="area_code",
            message_en=f"bad area code {area!r}",
        )
    if not re.fullmatch(r"[1-9]\d{6,7}", local):
        raise InvalidPhone(
            f"电话号码“{local}”不对：区号后应为7到8位、不以0开头",
            code="length",
            message_en=f"local number must be 7-8 digits, got {local!r}",
        )


def normalize_phone(text: str) -> str:
    """Accept a mobile (returned as 11 digits) or a landline (returned as "0938-1234567")."""
    digits = _drop_country_code(_strip_separators(text))
    if not digits:
        raise InvalidPhone("请填写电话号码", code="empty", message_en="phone number is empty")
    if _MOBILE.fullmatch(digits):
        return digits
    if digits.startswith("1") and len(digits) > 8:
        return normalize_mobile(text)
    area, local = _split_landline(text)
    _check_landline(area, local)
    return f"{area}-{local}"


# --- names --------------------------------------------------------------------------------------

_CJK_RANGES = (
    (0x3007, 0x3007),  # 〇
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0x20000, 0x2A6DF),  # extension B
    (0x2A700, 0x2EE5F),  # extensions C, D, E, F, I
    (0x2F800, 0x2FA1F),  # compatibility supplement
    (0x30000, 0x323AF),  # extensions G, H
)
MIDDLE_DOT = "\u00b7"
_DOT_VARIANTS = "\u00b7\u2022\u30fb\u2027\uff65\u2219\u22c5\u0387\u16eb"
_CJK_PERIODS = ".\uff0e\u3002"


def is_cjk(ch: str) -> bool:
    """True for a Chinese character, including the rare-character extension blocks."""
    code = ord(ch)
    return any(low <= code <= high for low, high in _CJK_RANGES)


def _is_latin_letter(ch: str) -> bool:
    """Latin letters, accented ones too, for foreigners' names."""
    return ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN")


def _unify_dots(text: str) -> str:
    """Make every separator dot of an ethnic-minority name U+00B7; a period counts only between Chinese characters."""
    chars = [MIDDLE_DOT if ch in _DOT_VARIANTS else ch for ch in text]
    for i, ch in enumerate(chars):
        if (
            ch in _CJK_PERIODS
            and 0 < i < len(chars) - 1
            and is_cjk(chars[i - 1])
            and is_cjk(chars[i + 1])
        ):
            chars[i] = MIDDLE_DOT
    return "".join(chars)


def _tidy_spaces(text: str) -> str:
    """Collapse space runs; drop spaces next to Chinese characters or dots ("张  三" → "张三")."""
    text = re.sub(r"\s+", " ", text.strip())
    out = []
    for i, ch in enumerate(text):
        if ch == " " and (_joins_tightly(text[i - 1]) or _joins_tightly(text[i + 1])):
            continue
        out.append(ch)
    return "".join(out)


def _joins_tightly(ch: str) -> bool:
    """Characters that never need a space beside them in a name."""
    return is_cjk(ch) or ch == MIDDLE_DOT


def _name_char_ok(text: str, i: int) -> bool:
    """Whether the character at ``i`` may appear in a person's name."""
    ch = text[i]
    if is_cjk(ch) or _is_latin_letter(ch) or ch in (" ", MIDDLE_DOT):
        return True
    inner = 0 < i < len(text) - 1
    return ch == "-" and inner and _is_latin_letter(text[i - 1]) and _is_latin_letter(text[i + 1])


def _check_length(text: str, limit: int, what: str) -> None:
    """Raise InvalidName when the text is empty or longer than ``limit`` characters."""
    if not text:
        raise InvalidName(f"请填写{what}", code="empty", message_en=f"{what} is empty")
    if len(text) > limit:
        raise InvalidName(
            f"{what}不能超过{limit}个字，现在是{len(text)}个字",
            code="length",
            message_en=f"{what} longer than {limit} characters ({len(text)})",
        )


def _bad_name_char(text: str, index: int, what: str) -> InvalidName:
    """The error for a forbidden character, naming it and where it is."""
    ch = text[index]
    return InvalidName(
        f"{what}第{index + 1}个字是{describe_char(ch)}，不能用在{what}里",
        code="bad_char",
        message_en=f"{what} has a forbidden character {ch!r} (U+{ord(ch):04X}) at position {index + 1}",
    )


def _check_dots(text: str) -> None:
    """A name's middle dot separates parts: not first, not last, never two together."""
    if text.startswith(MIDDLE_DOT) or text.endswith(MIDDLE_DOT):
        raise InvalidName(
            "姓名中的间隔点“·”不能在开头或结尾",
            code="dot",
            message_en="name starts or ends with a dot",
        )
    if MIDDLE_DOT * 2 in text:
        raise InvalidName(
            "姓名中的间隔点“·”不能连着写两个", code="dot", message_en="name has two dots in a row"
        )


def normalize_person_name(text: str) -> str:
    """Return the tidy name (unified dots, no stray spaces) or say which character is not allowed."""
    name = _tidy_spaces(_unify_dots(to_halfwidth(text)))
    _check_length(name, 30, "姓名")
    for i in range(len(name)):
        if not _name_char_ok(name, i):
            raise _bad_name_char(name, i, "姓名")
    _check_dots(name)
    return name


_ORG_EXTRA = "0123456789 （）·、-.&"


def normalize_org_name(text: str) -> str:
    """Return an organisation's name with full-width brackets, as registered names are written."""
    name = to_halfwidth(text).replace("(", "（").replace(")", "）")
    name = re.sub(r"\s+", " ", _unify_dots(name).strip())
    _check_length(name, 100, "单位名称")
    for i, ch in enumerate(name):
        if not (is_cjk(ch) or _is_latin_letter(ch) or ch in _ORG_EXTRA):
            raise _bad_name_char(name, i, "单位名称")
    if name.count("（") != name.count("）"):
        raise InvalidName("单位名称的括号不成对", code="brackets", message_en="unbalanced brackets")
    return name


# --- dates --------------------------------------------------------------------------------------

_DATE = re.compile(
    r"(?P<y>\d{4})(?:(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
    r"|年(?P<cm>\d{1,2})月(?P<cd>\d{1,2})日?"
    r"|(?P<pm>\d{2})(?P<pd>\d{2}))"
)


def parse_date(text: str) -> date:
    """Read 2026-11-22, 2026/11/22, 2026.11.22, 20261122 or 2026年11月22日 (full-width digits too)."""
    cleaned = "".join(ch for ch in to_halfwidth(text) if ch not in _SPACES)
    if not cleaned:
        raise InvalidDate("请填写日期", code="empty", message_en="date is empty")
    match = _DATE.fullmatch(cleaned)
    if not match:
        raise InvalidDate(
            f"日期“{text.strip()}”看不懂，请写成2026-11-22或2026年11月22日",
            code="format",
            message_en=f"unrecognised date {text.strip()!r}; use YYYY-MM-DD",
        )
    year = int(match["y"])
    month = int(match["m"] or match["cm"] or match["pm"])
    day = int(match["d"] or match["cd"] or match["pd"])
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidDate(
            f"{year}年{month}月{day}日不存在",
            code="impossible",
            message_en=f"no such date {year}-{month:02d}-{day:02d}",
        ) from None


_CN_DIGITS = "〇一二三四五六七八九"


def _cn_small_number(n: int) -> str:
    """1..31 the way dates say them: 十, 十一, 二十, 二十二, 三十一."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "")


def cn_date(d: date) -> str:
    """二〇二六年十一月二十二日 — how official documents and seals write dates."""
    year = "".join(_CN_DIGITS[int(c)] for c in f"{d.year:04d}")
    return f"{year}年{_cn_small_number(d.month)}月{_cn_small_number(d.day)}日"


def cn_date_digits(d: date) -> str:
    """2026年11月22日 — the everyday form on receipts and notices."""
    return f"{d.year}年{d.month}月{d.day}日"


# --- money --------------------------------------------------------------------------------------

_CAPITALS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_GROUP_UNITS = ("元", "万", "亿")
_MAX_AMOUNT = Decimal("999999999999.99")


def _to_decimal(value: Decimal | int | str) -> Decimal:
    """Accept Decimal, int or text like "1,234.56"; floats are refused because they lose cents."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        raise InvalidAmount(
            "金额类型不对",
            code="type",
            message_en=f"amount must be Decimal, int or str, got {type(value).__name__}",
        )
    try:
        amount = (
            Decimal(to_halfwidth(value).replace(",", "").strip())
            if isinstance(value, str)
            else Decimal(value)
        )
    except InvalidOperation:
        raise InvalidAmount(
            f"金额“{value}”不是数字", code="format", message_en=f"not a number: {value!r}"
        ) from None
    if not amount.is_finite():
        raise InvalidAmount(
            f"金额“{value}”不是数字", code="format", message_en=f"not a number: {value!r}"
        )
    return amount


def _check_amount(amount: Decimal) -> None:
    """Refuse what a receipt cannot carry: negatives, fractions of a fen, a trillion or more."""
    if amount < 0:
        raise InvalidAmount("金额不能是负数", code="negative", message_en="amount is negative")
    if amount > _MAX_AMOUNT:
        raise InvalidAmount(
            "金额太大，最多到千亿", code="too_large", message_en="amount of a trillion or more"
        )
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidAmount(
            "金额最多只能到分（两位小数）", code="precision", message_en="more than two decimals"
        )


def _cn_integer(n: int) -> str:
    """Capital numerals for whole yuan with the 零 rules of the PBoC bill-writing regulation."""
    digits = str(n)
    parts = []
    for index, ch in enumerate(digits):
        position = len(digits) - 1 - index
        parts.append(_CAPITALS[int(ch)] + (_SMALL_UNITS[position % 4] if ch != "0" else ""))
        if position % 4 == 0:
            parts.append(_GROUP_UNITS[position // 4])
    text = re.sub("零+", "零", "".join(parts))
    text = re.sub("零([元万亿])", r"\1", text)
    return text.replace("亿万", "亿")


def cn_amount(value: Decimal | int | str) -> str:
    """壹仟贰佰叁拾肆元伍角陆分 — money in capitals so receipts and forms cannot be altered."""
    amount = _to_decimal(value)
    _check_amount(amount)
    yuan = int(amount)
    fen_total = int((amount - yuan) * 100)
    jiao, fen = divmod(fen_total, 10)
    if fen_total == 0:
        return ("零元" if yuan == 0 else _cn_integer(yuan)) + "整"
    head = _cn_integer(yuan) if yuan else ""
    if jiao:
        head += _CAPITALS[jiao] + "角"
    elif yuan:
        head += "零"
    return head + (_CAPITALS[fen] + "分" if fen else "")
